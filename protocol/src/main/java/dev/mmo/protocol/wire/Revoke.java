package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Reason;
import java.util.Optional;

/**
 * VS to GS to clients: this session is over. Clients verify it and leave.
 *
 * <p>The reason travels as its wire code. Any code 1..999 is accepted, so that a reason a newer VS
 * adds never stops an older client from obeying a genuine revoke (and {@code 4000 + code} is always
 * a valid WebSocket close status); {@link #reason()} names the codes this version knows.
 */
public record Revoke(SessionId sessionId, int reasonCode, long revokedAtMs) implements VsStatement {
  public Revoke {
    requireNonNull(sessionId, "sessionId");
    if (reasonCode < 1 || reasonCode > Reason.MAX_CODE) {
      throw new IllegalArgumentException("reason code out of range: " + reasonCode);
    }
    Checks.nonNegative(revokedAtMs, "revokedAtMs");
  }

  public static Revoke of(SessionId sessionId, Reason reason, long revokedAtMs) {
    return new Revoke(sessionId, reason.code(), revokedAtMs);
  }

  /** The reason, when this version of the protocol knows the code. */
  public Optional<Reason> reason() {
    return Optional.ofNullable(Reason.fromCode(reasonCode));
  }

  @Override
  public MessageType type() {
    return MessageType.REVOKE;
  }
}
