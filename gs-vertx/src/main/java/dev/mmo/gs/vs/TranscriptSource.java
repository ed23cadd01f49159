package dev.mmo.gs.vs;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.world.PlayerPosition;
import java.util.List;

/**
 * What the match gives the VS link for heartbeats and digests: the transcript state as of the last
 * completed tick. The match publishes an immutable {@link State} after each tick; the link reads it
 * from its own context, so {@link #current()} must be thread-safe and never block.
 */
public interface TranscriptSource {

  /** The state after the last completed tick. */
  State current();

  /**
   * One consistent cut of the match: the tick it completed, the receipt tip over every input
   * applied up to it, and every player's position after it.
   */
  record State(long tick, Hash receiptTip, List<PlayerPosition> positions) {
    public State {
      positions = List.copyOf(positions);
    }
  }
}
