package dev.mmo.protocol.chain;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.SessionId;

/**
 * The continuity rule of a session's tickets: ticket n has counter n and points at the statement
 * hash of ticket n-1; ticket 1 points at the JoinAccept. Checks links only: proofs and freshness
 * are {@link TicketChainVerifier}'s job. Not thread-safe.
 */
public final class TicketChain {
  private final SessionId sessionId;
  private long lastCounter;
  private Hash lastHash;

  private TicketChain(SessionId sessionId, long lastCounter, Hash lastHash) {
    this.sessionId = sessionId;
    this.lastCounter = lastCounter;
    this.lastHash = lastHash;
  }

  /** A chain that expects ticket 1 next. */
  public static TicketChain startingAt(JoinAccept accept) {
    return new TicketChain(accept.sessionId(), 0, Hashes.statementHash(accept));
  }

  /** A chain that continues after {@code ticket}, already verified by the caller. */
  public static TicketChain continuingAfter(PlayTicket ticket) {
    return new TicketChain(ticket.sessionId(), ticket.counter(), Hashes.statementHash(ticket));
  }

  /**
   * Checks that {@code ticket} is the next link, without changing the chain.
   *
   * @throws Rejection {@link Reason#WRONG_SESSION}, {@link Reason#REPLAY} (counter not above the
   *     last), {@link Reason#CHAIN_GAP} (counter skips) or {@link Reason#CHAIN_BROKEN} (wrong
   *     predecessor hash), checked in that order
   */
  public void checkNext(PlayTicket ticket) throws Rejection {
    requireNonNull(ticket, "ticket");
    if (!ticket.sessionId().equals(sessionId)) {
      throw new Rejection(Reason.WRONG_SESSION, "ticket for another session");
    }
    if (ticket.counter() <= lastCounter) {
      throw new Rejection(
          Reason.REPLAY, "ticket " + ticket.counter() + " after ticket " + lastCounter);
    }
    if (ticket.counter() != lastCounter + 1) {
      throw new Rejection(
          Reason.CHAIN_GAP, "ticket " + ticket.counter() + " after ticket " + lastCounter);
    }
    if (!ticket.prevTicketHash().equals(lastHash)) {
      throw new Rejection(
          Reason.CHAIN_BROKEN, "ticket " + ticket.counter() + " does not point at its predecessor");
    }
  }

  /** Checks {@code ticket} as {@link #checkNext} does and makes it the last link. */
  public void append(PlayTicket ticket) throws Rejection {
    checkNext(ticket);
    lastCounter = ticket.counter();
    lastHash = Hashes.statementHash(ticket);
  }

  public SessionId sessionId() {
    return sessionId;
  }

  /** The last ticket's counter; 0 before the first ticket. */
  public long lastCounter() {
    return lastCounter;
  }

  /** The last ticket's statement hash; the JoinAccept's before the first ticket. */
  public Hash lastHash() {
    return lastHash;
  }
}
