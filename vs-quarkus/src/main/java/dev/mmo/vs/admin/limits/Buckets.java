package dev.mmo.vs.admin.limits;

import dev.mmo.transport.TokenBucket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One token bucket per key (a source address, a token's hash), in memory and bounded: the least
 * recently seen key makes room for a new one, which starts with a full burst. Thread-safe.
 */
final class Buckets {
  private final int perSecond;
  private final int burst;
  private final Map<String, TokenBucket> byKey;

  Buckets(int perSecond, int burst, int maxKeys) {
    if (perSecond < 1 || burst < 1 || maxKeys < 1) {
      throw new IllegalArgumentException(
          "limits must be positive: " + perSecond + ", " + burst + ", " + maxKeys);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.byKey =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
            return size() > maxKeys;
          }
        };
  }

  /**
   * Takes a token from {@code key}'s bucket.
   *
   * @return 0 when taken, else the nanoseconds until the bucket has one again
   */
  synchronized long take(String key, long nowNanos) {
    TokenBucket bucket =
        byKey.computeIfAbsent(key, k -> new TokenBucket(perSecond, burst, nowNanos));
    return bucket.tryTake(nowNanos) ? 0 : Math.max(1, bucket.nanosUntilNext());
  }

  /**
   * Takes {@code n} tokens from {@code key}'s bucket at once.
   *
   * @return 0 when taken, else the nanoseconds until the bucket has as many again
   */
  synchronized long take(String key, long nowNanos, int n) {
    TokenBucket bucket =
        byKey.computeIfAbsent(key, k -> new TokenBucket(perSecond, burst, nowNanos));
    return bucket.tryTake(nowNanos, n) ? 0 : Math.max(1, bucket.nanosUntil(n));
  }

  /**
   * How long until {@code key}'s bucket has a token, without taking one: 0 when it has one now (or
   * the key is not known).
   */
  synchronized long waitFor(String key, long nowNanos) {
    TokenBucket bucket = byKey.get(key);
    return bucket == null || bucket.has(nowNanos) ? 0 : Math.max(1, bucket.nanosUntilNext());
  }
}
