package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.world.PlayerPosition;
import java.util.List;

/**
 * GS to VS, signed with the session key: at simulation tick {@code tick} the receipt tip was {@code
 * receiptTip} and the players stood at {@code positions} (sorted by player key, no duplicates).
 */
public record TranscriptDigest(
    SessionId sessionId,
    long gsCounter,
    long tick,
    long gsTimeMs,
    Hash receiptTip,
    List<PlayerPosition> positions)
    implements SignedBody {
  public TranscriptDigest {
    requireNonNull(sessionId, "sessionId");
    Checks.positive(gsCounter, "gsCounter");
    Checks.nonNegative(tick, "tick");
    Checks.nonNegative(gsTimeMs, "gsTimeMs");
    requireNonNull(receiptTip, "receiptTip");
    positions = Positions.sortedUnique(positions, Limits.MAX_POSITIONS);
  }

  @Override
  public MessageType type() {
    return MessageType.TRANSCRIPT_DIGEST;
  }
}
