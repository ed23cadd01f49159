package dev.mmo.client;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.wire.PlayTicket;
import java.util.Optional;

/**
 * The best lower bound on VS time a client has learned, kept across its sessions (protocol.md
 * 10.2): the ticket, with the monotonic time it arrived, that put VS time furthest ahead of the
 * monotonic clock. A new session starts its estimate from it, so a game server that replays old
 * (genuine) tickets to a client that has seen newer ones is refused at the handshake with
 * TICKET_EXPIRED (step 7) instead of passing on the wall-clock check alone. Valid within one
 * process (one monotonic clock) and one set of trust anchors. Thread-safe.
 */
public final class VsTimeMemory {
  /** A ticket whose proof verified and when it arrived. */
  public record Observation(PlayTicket ticket, long monotonicMs) {
    public Observation {
      requireNonNull(ticket, "ticket");
    }

    long offset() {
      return ticket.notBeforeMs() - monotonicMs;
    }
  }

  private Observation best;

  public synchronized void observe(PlayTicket ticket, long monotonicMs) {
    Observation o = new Observation(ticket, monotonicMs);
    if (best == null || o.offset() > best.offset()) {
      best = o;
    }
  }

  public synchronized Optional<Observation> best() {
    return Optional.ofNullable(best);
  }
}
