package dev.mmo.gs.play;

/**
 * A token bucket on a monotonic clock: {@code rate} tokens a second, at most {@code burst} held.
 * Not thread-safe: each connection owns one and uses it on its event loop.
 */
final class RateLimiter {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private final long nanosPerToken;
  private final long capacityNanos;
  // The instant the bucket held no token: it holds min(burst, (now - emptyUntil) / nanosPerToken).
  private long emptyUntil;

  RateLimiter(int rate, int burst, long nowNanos) {
    this.nanosPerToken = NANOS_PER_SECOND / rate;
    this.capacityNanos = nanosPerToken * burst;
    this.emptyUntil = nowNanos - capacityNanos;
  }

  /** Takes one token if there is one. */
  boolean tryAcquire(long nowNanos) {
    long start = Math.max(emptyUntil, nowNanos - capacityNanos);
    long next = start + nanosPerToken;
    if (next > nowNanos) {
      return false;
    }
    emptyUntil = next;
    return true;
  }
}
