package dev.mmo.gs.play;

import dev.mmo.protocol.wire.Challenge;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The challenges of the hellos of the last {@code window} milliseconds (2W, protocol.md 10.1), so
 * that a captured hello cannot be replayed. Bounded: when it holds {@code capacity} unexpired
 * challenges, new hellos are refused until some expire. Thread-safe (hellos arrive on every event
 * loop; a hello is rare next to inputs, so one lock is enough).
 */
final class ChallengeCache {
  /** What {@link #remember} found. */
  enum Outcome {
    FRESH,
    SEEN,
    FULL
  }

  private final long windowMs;
  private final int capacity;
  private final Set<Challenge> seen = new HashSet<>();
  private final ArrayDeque<Entry> byTime = new ArrayDeque<>();

  ChallengeCache(long windowMs, int capacity) {
    this.windowMs = windowMs;
    this.capacity = capacity;
  }

  synchronized Outcome remember(Challenge challenge, long nowMs) {
    while (!byTime.isEmpty() && byTime.peekFirst().atMs() <= nowMs - windowMs) {
      seen.remove(byTime.pollFirst().challenge());
    }
    if (seen.contains(challenge)) {
      return Outcome.SEEN;
    }
    if (seen.size() >= capacity) {
      return Outcome.FULL;
    }
    seen.add(challenge);
    // A clock stepping back must not let entries outlive the window by much: keep arrival order.
    byTime.addLast(new Entry(challenge, nowMs));
    return Outcome.FRESH;
  }

  private record Entry(Challenge challenge, long atMs) {}
}
