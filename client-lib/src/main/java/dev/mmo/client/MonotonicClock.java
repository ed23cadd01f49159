package dev.mmo.client;

/**
 * A monotonic nanosecond source, like {@link System#nanoTime()}: only differences mean anything.
 * Injected so that tests can move time; ticket freshness is judged on it, never on the wall clock.
 */
@FunctionalInterface
public interface MonotonicClock {
  MonotonicClock SYSTEM = System::nanoTime;

  long nanoTime();

  /** Whole milliseconds of {@link #nanoTime()}, rounded down. */
  default long millis() {
    return Math.floorDiv(nanoTime(), 1_000_000L);
  }
}
