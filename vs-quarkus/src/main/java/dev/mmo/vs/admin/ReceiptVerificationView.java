package dev.mmo.vs.admin;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.vs.admin.ReceiptVerification.ReceiptCheck;
import dev.mmo.vs.admin.ReceiptVerification.ReceiptStatus;
import dev.mmo.vs.admin.ReceiptVerification.TipCheck;
import dev.mmo.vs.admin.ReceiptVerification.TipStatus;
import dev.mmo.vs.admin.ReceiptVerification.TranscriptResult;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer to a verification: per claimed tip, or per notarized receipt when a transcript was
 * given; the fields of the other kind are null.
 */
@Schema(name = "ReceiptVerification", description = "Claims checked against what was notarized.")
public record ReceiptVerificationView(
    @Schema(
            description =
                "True only when every tip is NOTARIZED, or every receipt of the session is"
                    + " MATCHED.")
        boolean consistent,
    @Schema(description = "Tips mode: one result per tip, in request order.") List<TipResult> tips,
    @Schema(description = "Transcript mode: how many inputs were folded.") Integer inputs,
    @Schema(description = "Transcript mode: the fold of every input, lowercase hex.")
        String transcriptTip,
    @Schema(
            description =
                "Transcript mode: one result per notarized receipt of the session, by gsCounter.")
        List<ReceiptResult> receipts) {

  /** One claimed tip. */
  @Schema(name = "TipResult")
  public record TipResult(
      long gsCounter,
      @Schema(description = "The tip claimed, lowercase hex.") String receiptTip,
      @Schema(description = "NOTARIZED, MISMATCH or NOT_NOTARIZED.") TipStatus status,
      @Schema(description = "The tip notarized at gsCounter; null when NOT_NOTARIZED.")
          String notarizedTip) {}

  /** One notarized receipt. */
  @Schema(name = "ReceiptResult")
  public record ReceiptResult(
      long gsCounter,
      @Schema(description = "The notarized tip, lowercase hex.") String receiptTip,
      @Schema(description = "MATCHED or NOT_REPRODUCED.") ReceiptStatus status,
      @Schema(
              description =
                  "MATCHED: how many of the transcript's first inputs fold to the tip; else null.")
          Integer inputCount) {}

  static ReceiptVerificationView ofTips(List<TipCheck> checks) {
    List<TipResult> tips =
        checks.stream()
            .map(
                c ->
                    new TipResult(
                        c.gsCounter(), c.receiptTip().hex(), c.status(), hex(c.notarizedTip())))
            .toList();
    boolean consistent = checks.stream().allMatch(c -> c.status() == TipStatus.NOTARIZED);
    return new ReceiptVerificationView(consistent, tips, null, null, null);
  }

  static ReceiptVerificationView ofTranscript(TranscriptResult result) {
    List<ReceiptResult> receipts =
        result.receipts().stream()
            .map(
                (ReceiptCheck c) ->
                    new ReceiptResult(
                        c.gsCounter(), c.receiptTip().hex(), c.status(), c.inputCount()))
            .toList();
    return new ReceiptVerificationView(
        result.consistent(), null, result.inputs(), result.finalTip().hex(), receipts);
  }

  private static String hex(Hash hash) {
    return hash == null ? null : hash.hex();
  }
}
