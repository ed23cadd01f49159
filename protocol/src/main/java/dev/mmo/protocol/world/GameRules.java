package dev.mmo.protocol.world;

import static java.util.Objects.requireNonNull;

/**
 * The physics the VS audits and the GS enforces, pinned for a session by its JoinAccept.
 *
 * @param tickRateHz simulation ticks per second, 1..1000
 * @param maxSpeed the speed limit in world units per second, 1..2^31-1
 * @param bounds the world rectangle
 */
public record GameRules(int tickRateHz, int maxSpeed, Bounds bounds) {
  public static final int MAX_TICK_RATE_HZ = 1000;

  public GameRules {
    if (tickRateHz < 1 || tickRateHz > MAX_TICK_RATE_HZ) {
      throw new IllegalArgumentException("tick rate out of range: " + tickRateHz);
    }
    if (maxSpeed < 1) {
      throw new IllegalArgumentException("max speed out of range: " + maxSpeed);
    }
    requireNonNull(bounds, "bounds");
  }

  /** The longest move a player may make in one tick (rounded down). */
  public int maxStepPerTick() {
    return maxSpeed / tickRateHz;
  }
}
