package dev.mmo.transport;

/**
 * A token bucket on a nanosecond clock: {@code ratePerSecond} tokens a second, at most {@code
 * burst} saved up. Not thread-safe: one per connection, used on its event loop.
 */
final class TokenBucket {
  private final double perNano;
  private final double burst;
  private double tokens;
  private long lastNanos;

  TokenBucket(int ratePerSecond, int burst, long nowNanos) {
    if (ratePerSecond < 1 || burst < 1) {
      throw new IllegalArgumentException("rate " + ratePerSecond + ", burst " + burst);
    }
    this.perNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  boolean tryTake(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * perNano);
      lastNanos = nowNanos;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
