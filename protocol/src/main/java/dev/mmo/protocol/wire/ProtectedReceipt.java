package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Hash;

/**
 * VS to GS (and on to clients): the VS notarized that the GS claimed {@code receiptTip} at {@code
 * gsCounter}. The GS cannot later deny it.
 *
 * @param digestHash SHA-256 of the TranscriptDigest frame that made the claim
 * @param notarizedAtMs VS time of notarization
 */
public record ProtectedReceipt(
    SessionId sessionId, long gsCounter, Hash receiptTip, Hash digestHash, long notarizedAtMs)
    implements VsStatement {
  public ProtectedReceipt {
    requireNonNull(sessionId, "sessionId");
    Checks.positive(gsCounter, "gsCounter");
    requireNonNull(receiptTip, "receiptTip");
    requireNonNull(digestHash, "digestHash");
    Checks.nonNegative(notarizedAtMs, "notarizedAtMs");
  }

  @Override
  public MessageType type() {
    return MessageType.PROTECTED_RECEIPT;
  }
}
