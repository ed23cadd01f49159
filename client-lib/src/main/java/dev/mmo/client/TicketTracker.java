package dev.mmo.client;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.chain.TicketChainVerifier;
import dev.mmo.protocol.chain.TicketFreshness;
import dev.mmo.protocol.chain.VsClock;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.PlayTicket;

/**
 * The client's view of a session's tickets: the chain it continues and its lower bound on VS time,
 * carried on the monotonic clock (docs/protocol.md 10.2, skew 0). Not thread-safe.
 *
 * <p>A ticket is fresh at monotonic time m iff {@code not_before <= vs_now(m) < not_after}. Since
 * {@code vs_now} at receipt is already at least {@code not_before}, the newest ticket stops being
 * fresh at most L = {@code not_after - not_before} after it was received: the kick bound.
 */
public final class TicketTracker {
  private final TicketChainVerifier chain;
  private final VsClock vsClock = new VsClock();
  private final VsTimeMemory memory;
  private PlayTicket newest;
  private Hash newestHash;

  /**
   * Starts from {@code first}, whose proof and session the caller verified, received at m, with
   * what {@code memory} knows of VS time from earlier sessions.
   */
  TicketTracker(
      TicketChainVerifier chain, PlayTicket first, long monotonicMs, VsTimeMemory memory) {
    this.chain = requireNonNull(chain, "chain");
    this.memory = requireNonNull(memory, "memory");
    memory.best().ifPresent(o -> vsClock.observe(o.ticket(), o.monotonicMs()));
    take(first, monotonicMs);
  }

  /**
   * Accepts {@code ticket}, received at {@code monotonicMs}, as the next link (7.1: proof, session,
   * counter, predecessor) and makes it the newest. A rejected ticket changes nothing.
   */
  public PlayTicket accept(Attested<PlayTicket> ticket, long monotonicMs) throws Rejection {
    // A genuine ticket proves by itself that VS time has reached its not_before, so the "started"
    // check runs against that; the proof is checked first inside accept.
    long vsNow = Math.max(vsNow(monotonicMs), ticket.statement().notBeforeMs());
    PlayTicket t = chain.accept(ticket, vsNow);
    take(t, monotonicMs);
    return t;
  }

  private void take(PlayTicket ticket, long monotonicMs) {
    vsClock.observe(ticket, monotonicMs);
    memory.observe(ticket, monotonicMs);
    newest = ticket;
    newestHash = Hashes.statementHash(ticket);
  }

  /** The lower bound on VS time at {@code monotonicMs}. */
  public long vsNow(long monotonicMs) {
    return vsClock.now(monotonicMs).orElseThrow();
  }

  /**
   * Checks that the newest ticket is fresh at {@code monotonicMs}.
   *
   * @throws Rejection {@link Reason#NO_FRESH_TICKET} when it is not
   */
  public void checkFresh(long monotonicMs) throws Rejection {
    try {
      TicketFreshness.check(newest, vsNow(monotonicMs), 0);
    } catch (Rejection e) {
      throw new Rejection(Reason.NO_FRESH_TICKET, e.getMessage());
    }
  }

  /** The first monotonic millisecond at which the newest ticket is no longer fresh. */
  public long deadlineMs(long monotonicMs) {
    return newest.notAfterMs() - (vsNow(monotonicMs) - monotonicMs);
  }

  /** The newest accepted ticket. */
  public PlayTicket newest() {
    return newest;
  }

  /** Its statement hash: the ticket reference of a ClientInput. */
  public Hash newestHash() {
    return newestHash;
  }
}
