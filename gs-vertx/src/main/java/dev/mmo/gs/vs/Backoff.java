package dev.mmo.gs.vs;

import java.util.Random;

/**
 * Reconnect delays: the first is {@code min}, each next one doubles, never above {@code max}; each
 * delay is drawn in [d/2, d] so that game servers cut off together do not come back together.
 */
final class Backoff {
  private final long minMs;
  private final long maxMs;
  private final Random random;
  private long nextMs;

  Backoff(long minMs, long maxMs, Random random) {
    if (minMs < 1 || maxMs < minMs) {
      throw new IllegalArgumentException("need 1 <= min <= max");
    }
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.random = random;
    this.nextMs = minMs;
  }

  long next() {
    return next(0);
  }

  /**
   * The next delay, but drawn from at least {@code floorMs}: after a refusal that says how long the
   * other side wants to be left alone.
   */
  long next(long floorMs) {
    long d = Math.max(nextMs, floorMs);
    nextMs = Math.min(maxMs, nextMs * 2);
    long half = d / 2;
    return Math.max(1, half + (long) (random.nextDouble() * (d - half + 1)));
  }

  void reset() {
    nextMs = minMs;
  }
}
