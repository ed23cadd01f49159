package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Hash;

/** GS to VS about once a second, signed with the session key: I am alive and this is my state. */
public record Heartbeat(
    SessionId sessionId, long gsCounter, long gsTimeMs, Hash receiptTip, Hash swHash)
    implements SignedBody {
  public Heartbeat {
    requireNonNull(sessionId, "sessionId");
    Checks.positive(gsCounter, "gsCounter");
    Checks.nonNegative(gsTimeMs, "gsTimeMs");
    requireNonNull(receiptTip, "receiptTip");
    requireNonNull(swHash, "swHash");
  }

  @Override
  public MessageType type() {
    return MessageType.HEARTBEAT;
  }
}
