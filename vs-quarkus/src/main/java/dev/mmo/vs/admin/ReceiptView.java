package dev.mmo.vs.admin;

import dev.mmo.protocol.bytes.Hex;
import dev.mmo.vs.audit.ReceiptEntity;
import java.time.Instant;
import java.util.Base64;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A notarized receipt as the admin API shows it, with both frames, so that an auditor can check the
 * VS proof and the game server's signature offline.
 */
@Schema(
    name = "Receipt",
    description = "A ProtectedReceipt the VS released, and what it notarized.")
public record ReceiptView(
    @Schema(description = "The TranscriptDigest's counter.") long gsCounter,
    @Schema(description = "The receipt tip the game server claimed: 32 bytes, lowercase hex.")
        String receiptTip,
    @Schema(description = "SHA-256 of the TranscriptDigest frame: 32 bytes, lowercase hex.")
        String digestHash,
    @Schema(description = "notarized_at_ms of the receipt (VS time).") Instant notarizedAt,
    @Schema(description = "When the audit trail recorded it.") Instant recordedAt,
    @Schema(
            description =
                "The attested ProtectedReceipt frame as released (docs/protocol.md 5.8), standard"
                    + " base64 with padding.")
        String receipt,
    @Schema(
            description =
                "The TranscriptDigest frame signed by the session key (docs/protocol.md 5.7),"
                    + " standard base64 with padding.")
        String digest) {

  static ReceiptView of(ReceiptEntity r) {
    return new ReceiptView(
        r.gsCounter,
        Hex.encode(r.receiptTip),
        Hex.encode(r.digestHash),
        r.notarizedAt,
        r.recordedAt,
        Base64.getEncoder().encodeToString(r.receipt),
        Base64.getEncoder().encodeToString(r.digest));
  }
}
