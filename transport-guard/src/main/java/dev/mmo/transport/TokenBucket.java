package dev.mmo.transport;

/**
 * A token bucket on a nanosecond clock: {@code rate} tokens every {@code periodSeconds}, at most
 * {@code burst} saved up. Not thread-safe.
 */
public final class TokenBucket {
  private final double perNano;
  private final double burst;
  private double tokens;
  private long lastNanos;

  public TokenBucket(int ratePerSecond, int burst, long nowNanos) {
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

  /** Takes one token if there is one at {@code nowNanos}. */
  public boolean tryTake(long nowNanos) {
    if (has(nowNanos)) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /**
   * Takes {@code n} tokens at once if there are as many at {@code nowNanos} (at most the burst ever
   * can be).
   */
  public boolean tryTake(long nowNanos, int n) {
    has(nowNanos);
    if (tokens >= n) {
      tokens -= n;
      return true;
    }
    return false;
  }

  /** Nanoseconds until {@code n} tokens are there (0 if they are); never, past the burst. */
  public long nanosUntil(int n) {
    if (n > burst) {
      return Long.MAX_VALUE;
    }
    return tokens >= n ? 0 : (long) Math.ceil((n - tokens) / perNano);
  }

  /** Whether a token is there at {@code nowNanos}; takes none. */
  public boolean has(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * perNano);
      lastNanos = nowNanos;
    }
    return tokens >= 1;
  }

  /** Nanoseconds from the last {@link #tryTake} until a token is there again (0 if one is). */
  public long nanosUntilNext() {
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
  }
}
