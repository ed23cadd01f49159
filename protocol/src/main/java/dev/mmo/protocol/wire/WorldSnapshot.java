package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.world.PlayerPosition;
import java.util.List;
import java.util.Optional;

/**
 * GS to clients every tick, signed with the session key: where everyone is, and the newest receipt
 * the VS gave the GS.
 */
public record WorldSnapshot(
    SessionId sessionId,
    long tick,
    List<PlayerPosition> positions,
    Optional<Attested<ProtectedReceipt>> latestReceipt)
    implements SignedBody {
  public WorldSnapshot {
    requireNonNull(sessionId, "sessionId");
    Checks.nonNegative(tick, "tick");
    positions = Positions.sortedUnique(positions, Limits.MAX_POSITIONS);
    requireNonNull(latestReceipt, "latestReceipt");
  }

  @Override
  public MessageType type() {
    return MessageType.WORLD_SNAPSHOT;
  }
}
