package dev.mmo.vs.admission;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Durations of one kind, in milliseconds, gathered over one window and summarised when the window
 * closes: how many, the 99th percentile and the largest, each to {@value #BUCKET_MS} ms. Recording
 * is lock-free and safe from any thread; closing is done by one thread at a time.
 *
 * <p>Durations of {@value #CEILING_MS} ms or more share the last bucket and are reported as {@value
 * #CEILING_MS} ms: far past any limit worth setting.
 */
final class LatencyWindow {
  static final int BUCKET_MS = 5;
  static final long CEILING_MS = 10_000;
  private static final int BUCKETS = (int) (CEILING_MS / BUCKET_MS) + 1;

  private volatile AtomicLongArray current = new AtomicLongArray(BUCKETS);

  /** What one closed window held. Both figures are 0 for an empty window. */
  record Summary(long count, long p99Ms, long maxMs) {
    static final Summary EMPTY = new Summary(0, 0, 0);
  }

  void record(long ms) {
    int bucket = (int) Math.min(BUCKETS - 1, Math.max(0, ms) / BUCKET_MS);
    current.incrementAndGet(bucket);
  }

  /**
   * Starts a new window and summarises the one it ends. A duration recorded while the windows swap
   * may land in either of them.
   */
  Summary close() {
    AtomicLongArray ended = current;
    current = new AtomicLongArray(BUCKETS);
    long count = 0;
    int highest = -1;
    for (int i = 0; i < BUCKETS; i++) {
      long n = ended.get(i);
      if (n > 0) {
        count += n;
        highest = i;
      }
    }
    if (count == 0) {
      return Summary.EMPTY;
    }
    // The smallest bucket with at least 99% of the durations at or below it.
    long wanted = (count * 99 + 99) / 100;
    long seen = 0;
    int p99 = highest;
    for (int i = 0; i <= highest; i++) {
      seen += ended.get(i);
      if (seen >= wanted) {
        p99 = i;
        break;
      }
    }
    return new Summary(count, upperBound(p99), upperBound(highest));
  }

  private static long upperBound(int bucket) {
    return bucket == BUCKETS - 1 ? CEILING_MS : (bucket + 1L) * BUCKET_MS;
  }
}
