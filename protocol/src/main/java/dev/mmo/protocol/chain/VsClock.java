package dev.mmo.protocol.chain;

import dev.mmo.protocol.wire.PlayTicket;
import java.util.OptionalLong;

/**
 * A lower bound on the VS clock, learned from tickets and carried forward on the receiver's
 * monotonic clock, so that a receiver whose wall clock is off by minutes still judges ticket age
 * correctly.
 *
 * <p>A ticket cannot arrive before the VS made it, so when a ticket arrives at monotonic time
 * {@code m}, VS time is at least {@code not_before}; the offset {@code not_before - m} is a lower
 * bound that holds from then on. The estimate keeps the largest such offset. It lags the true VS
 * clock by the smallest delivery delay seen, never leads it. Consequence (docs/protocol.md,
 * "Freshness"): a receiver stops trusting a ticket at most {@code not_after - not_before} after it
 * received it, whatever its wall clock says. Not thread-safe.
 */
public final class VsClock {
  private long offsetMs;
  private boolean known;

  /** Learns from {@code ticket}, whose proof verified, received at {@code monotonicNowMs}. */
  public void observe(PlayTicket ticket, long monotonicNowMs) {
    long offset = ticket.notBeforeMs() - monotonicNowMs;
    if (!known || offset > offsetMs) {
      offsetMs = offset;
      known = true;
    }
  }

  /** The lower bound on VS time at {@code monotonicNowMs}, once a ticket was observed. */
  public OptionalLong now(long monotonicNowMs) {
    return known ? OptionalLong.of(monotonicNowMs + offsetMs) : OptionalLong.empty();
  }
}
