package dev.mmo.auditor;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.Hash;

/**
 * One item of {@code GET /api/sessions/{id}/receipts}: the fields the VS lists and both frames, not
 * yet verified.
 *
 * @param receipt the attested ProtectedReceipt frame
 * @param digest the signed TranscriptDigest frame the receipt notarized
 */
public record ListedReceipt(
    long gsCounter, Hash receiptTip, Hash digestHash, Bytes receipt, Bytes digest) {
  public ListedReceipt {
    requireNonNull(receiptTip, "receiptTip");
    requireNonNull(digestHash, "digestHash");
    requireNonNull(receipt, "receipt");
    requireNonNull(digest, "digest");
  }
}
