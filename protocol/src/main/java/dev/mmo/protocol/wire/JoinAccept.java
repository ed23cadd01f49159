package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.world.GameRules;

/**
 * VS to GS (and on to clients): the session exists. Pins the session key, the software hash, the
 * cadence and the rules; its statement hash is the first ticket's predecessor.
 *
 * @param joinRequestHash SHA-256 of the JoinRequest frame this answers
 * @param issuedAtMs VS time of admission
 * @param ticketLifetimeMs not_after - not_before of every ticket; longer than the ticket interval
 */
public record JoinAccept(
    SessionId sessionId,
    GsId gsId,
    Ed25519PublicKey sessionKey,
    Hash swHash,
    Hash joinRequestHash,
    long issuedAtMs,
    long heartbeatIntervalMs,
    long ticketIntervalMs,
    long ticketLifetimeMs,
    GameRules rules)
    implements VsStatement {
  /** Intervals are u32 milliseconds on the wire. */
  public static final long MAX_INTERVAL_MS = 0xFFFF_FFFFL;

  public JoinAccept {
    requireNonNull(sessionId, "sessionId");
    requireNonNull(gsId, "gsId");
    requireNonNull(sessionKey, "sessionKey");
    requireNonNull(swHash, "swHash");
    requireNonNull(joinRequestHash, "joinRequestHash");
    Checks.nonNegative(issuedAtMs, "issuedAtMs");
    interval(heartbeatIntervalMs, "heartbeatIntervalMs");
    interval(ticketIntervalMs, "ticketIntervalMs");
    interval(ticketLifetimeMs, "ticketLifetimeMs");
    if (ticketLifetimeMs <= ticketIntervalMs) {
      // Overlap leaves room for delivery delay: the next ticket arrives before this one expires.
      throw new IllegalArgumentException("tickets must live longer than the ticket interval");
    }
    requireNonNull(rules, "rules");
  }

  private static void interval(long ms, String name) {
    if (ms < 1 || ms > MAX_INTERVAL_MS) {
      throw new IllegalArgumentException(name + " out of range: " + ms);
    }
  }

  @Override
  public MessageType type() {
    return MessageType.JOIN_ACCEPT;
  }
}
