package dev.mmo.transport;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Connections per source (see {@link Sources}): at most {@code maxOpen} open at once, and new ones
 * at most {@code perMinute} a minute with bursts of {@code burst}. Everything is in memory and
 * bounded: the open counts by the open connections, the rates by {@code maxTrackedSources} (the
 * least recently seen source makes room, and starts over with a full burst). Thread-safe.
 */
public final class SourceLimits {
  /** Why a connection was refused, or that it was not. */
  public enum Verdict {
    OPENED,
    TOO_MANY_OPEN,
    TOO_MANY_NEW
  }

  private final int maxOpen;
  private final int perMinute;
  private final int burst;
  private final Map<String, Integer> open = new HashMap<>();
  private final Map<String, TokenBucket> rates;

  public SourceLimits(int maxOpen, int perMinute, int burst, int maxTrackedSources) {
    if (maxOpen < 1 || perMinute < 1 || burst < 1 || maxTrackedSources < 1) {
      throw new IllegalArgumentException(
          "limits must be positive: " + maxOpen + ", " + perMinute + ", " + burst);
    }
    this.maxOpen = maxOpen;
    this.perMinute = perMinute;
    this.burst = burst;
    this.rates =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
            return size() > maxTrackedSources;
          }
        };
  }

  /** Only open connections per source are limited, not how fast new ones come. */
  public static SourceLimits openOnly(int maxOpen, int maxTrackedSources) {
    return new SourceLimits(maxOpen, Integer.MAX_VALUE, Integer.MAX_VALUE, maxTrackedSources);
  }

  /** A new connection from {@code source}; when OPENED, call {@link #closed} once it ends. */
  public synchronized Verdict tryOpen(String source, long nowNanos) {
    int current = open.getOrDefault(source, 0);
    if (current >= maxOpen) {
      return Verdict.TOO_MANY_OPEN;
    }
    TokenBucket rate =
        rates.computeIfAbsent(source, s -> new TokenBucket(perMinute, burst, nowNanos, 60));
    if (!rate.tryTake(nowNanos)) {
      return Verdict.TOO_MANY_NEW;
    }
    open.put(source, current + 1);
    return Verdict.OPENED;
  }

  /** A connection {@link #tryOpen} OPENED has ended. */
  public synchronized void closed(String source) {
    open.computeIfPresent(source, (s, n) -> n <= 1 ? null : n - 1);
  }

  /** Open connections from {@code source}. */
  public synchronized int open(String source) {
    return open.getOrDefault(source, 0);
  }
}
