package dev.mmo.protocol.chain;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.wire.PlayTicket;

/**
 * Whether a ticket is valid at a given VS time, allowing a stated clock skew either way: valid when
 * {@code not_before - skew <= now < not_after + skew}.
 */
public final class TicketFreshness {
  private TicketFreshness() {}

  /**
   * @param vsNowMs the checker's best knowledge of the VS clock
   * @param allowedSkewMs how far that knowledge may be off, 0 or more
   * @throws Rejection {@link Reason#TICKET_NOT_YET_VALID} or {@link Reason#TICKET_EXPIRED}
   */
  public static void check(PlayTicket ticket, long vsNowMs, long allowedSkewMs) throws Rejection {
    checkStarted(ticket, vsNowMs, allowedSkewMs);
    if (vsNowMs - allowedSkewMs >= ticket.notAfterMs()) {
      throw new Rejection(
          Reason.TICKET_EXPIRED,
          "ticket " + ticket.counter() + " ended at " + ticket.notAfterMs() + ", now " + vsNowMs);
    }
  }

  /**
   * Checks only that {@code ticket} has started: {@code not_before - skew <= now}.
   *
   * @throws Rejection {@link Reason#TICKET_NOT_YET_VALID}
   */
  public static void checkStarted(PlayTicket ticket, long vsNowMs, long allowedSkewMs)
      throws Rejection {
    if (allowedSkewMs < 0) {
      throw new IllegalArgumentException("negative skew");
    }
    if (vsNowMs + allowedSkewMs < ticket.notBeforeMs()) {
      throw new Rejection(
          Reason.TICKET_NOT_YET_VALID,
          "ticket " + ticket.counter() + " starts at " + ticket.notBeforeMs() + ", now " + vsNowMs);
    }
  }
}
