package dev.mmo.vs.admin;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON bodies the admin API accepts. Their content is checked by {@link AdminInput}. */
public final class AdminRequests {
  private AdminRequests() {}

  @Schema(name = "EnrollRequest", description = "A game server to enroll.")
  public record Enroll(
      @Schema(
              required = true,
              description = "1..64 characters of [a-z0-9._-], the first a letter or digit.",
              example = "eu-west.gs-042")
          String id,
      @Schema(
              required = true,
              description =
                  "Its long-term Ed25519 public key (RFC 8032): 32 bytes as 64 lowercase hex"
                      + " characters; must be a valid point of full order.",
              pattern = "^[0-9a-f]{64}$")
          String publicKey,
      @Schema(
              description =
                  "Software hashes (SHA-256, 64 lowercase hex characters) it may report at join;"
                      + " none when absent.")
          List<String> allowedSoftware) {}

  @Schema(name = "AddSoftwareRequest", description = "A software hash to allow.")
  public record AddSoftware(
      @Schema(
              required = true,
              description = "SHA-256 of the build, 64 lowercase hex characters.",
              pattern = "^[0-9a-f]{64}$")
          String swHash) {}

  @Schema(name = "RevokeRequest", description = "Why the game server is revoked.")
  public record Revoke(
      @Schema(
              required = true,
              description =
                  "The operator's reason, kept with the revocation's evidence: one line of text,"
                      + " without control, format (bidi, zero-width) or separator characters.",
              maxLength = AdminInput.MAX_REASON_LENGTH)
          String reason) {}

  @Schema(
      name = "VerifyReceiptsRequest",
      description =
          "What to check against the session's notarized receipts: either tips or transcript.")
  public record VerifyReceipts(
      @Schema(description = "Receipt tips claimed at counters, e.g. taken from WorldSnapshots.")
          List<ClaimedTip> tips,
      @Schema(
              description =
                  "Every ClientInput frame of the session, signature included, in the order the"
                      + " game server applied them; each in standard base64 with padding.")
          List<String> transcript) {}

  /**
   * {@code gsCounter} is untyped so that it arrives as written: Jackson would otherwise coerce
   * {@code "5"} or {@code 5.7} into a counter, and a truncated claim could be reported NOTARIZED.
   */
  @Schema(name = "ClaimedTip", description = "A receipt tip someone claims the VS notarized.")
  public record ClaimedTip(
      @Schema(
              required = true,
              implementation = Long.class,
              minimum = "1",
              description =
                  "The counter: a JSON integer of at least 1 (a string or a fraction is refused).")
          Object gsCounter,
      @Schema(
              required = true,
              description = "The tip: 32 bytes, 64 lowercase hex characters.",
              pattern = "^[0-9a-f]{64}$")
          String receiptTip) {}
}
