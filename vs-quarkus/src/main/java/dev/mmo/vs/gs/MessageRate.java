package dev.mmo.vs.gs;

/**
 * A token bucket: {@code burst} events at once, refilled at {@code events} per {@code periodMs}.
 * Time comes from the caller so the bucket is deterministic. Not thread-safe (one per connection,
 * used on its context, or guarded by its owner).
 */
public final class MessageRate {
  private final double perMs;
  private final double burst;
  private double tokens;
  private long lastMs;

  public MessageRate(int perSecond, int burst, long nowMs) {
    this(perSecond, 1000, burst, nowMs);
  }

  MessageRate(int events, long periodMs, int burst, long nowMs) {
    this.perMs = (double) events / periodMs;
    this.burst = burst;
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  /** Takes one token; false when the bucket is empty. */
  public boolean tryTake(long nowMs) {
    tokens = Math.min(burst, tokens + Math.max(0, nowMs - lastMs) * perMs);
    lastMs = Math.max(lastMs, nowMs);
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
