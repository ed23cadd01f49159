package dev.mmo.auditor;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Hash;

/**
 * One item of {@code GET /api/sessions/{id}/receipts}: the fields the VS lists and both frames, not
 * yet verified.
 *
 * @param receipt the attested ProtectedReceipt frame
 * @param digest the signed TranscriptDigest frame the receipt notarized
 */
public record ListedReceipt(
    long gsCounter, Hash receiptTip, Hash digestHash, byte[] receipt, byte[] digest) {
  public ListedReceipt {
    requireNonNull(receiptTip, "receiptTip");
    requireNonNull(digestHash, "digestHash");
    receipt = receipt.clone();
    digest = digest.clone();
  }

  @Override
  public byte[] receipt() {
    return receipt.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }
}
