package dev.mmo.transport;

/**
 * A token bucket on a nanosecond clock: {@code rate} tokens every {@code periodSeconds}, at most
 * {@code burst} saved up. Not thread-safe.
 */
final class TokenBucket {
  private final double perNano;
  private final double burst;
  private double tokens;
  private long lastNanos;

  TokenBucket(int ratePerSecond, int burst, long nowNanos) {
    this(ratePerSecond, burst, nowNanos, 1);
  }

  TokenBucket(int rate, int burst, long nowNanos, int periodSeconds) {
    if (rate < 1 || burst < 1 || periodSeconds < 1) {
      throw new IllegalArgumentException("rate " + rate + ", burst " + burst);
    }
    this.perNano = rate / (periodSeconds * 1e9);
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
