package dev.mmo.vs.audit;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ProtectedReceipt;

/**
 * A notarized receipt as released, with the signed TranscriptDigest frame that made the claim.
 *
 * @param receipt the attested receipt; every column of {@code receipts} is derived from it
 * @param digestFrame the signed TranscriptDigest frame, kept as received
 */
public record ReceiptRecord(Attested<ProtectedReceipt> receipt, Bytes digestFrame)
    implements AuditRecord {
  public ReceiptRecord {
    requireNonNull(receipt, "receipt");
    requireNonNull(digestFrame, "digestFrame");
  }
}
