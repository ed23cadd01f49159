package dev.mmo.client;

import java.util.concurrent.atomic.AtomicLong;

/** A monotonic clock a test moves by hand; it stands still otherwise. */
final class ManualMonotonicClock implements MonotonicClock {
  private final AtomicLong nanos = new AtomicLong(System.nanoTime());

  void advanceMs(long ms) {
    nanos.addAndGet(ms * 1_000_000L);
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }
}
