package dev.mmo.vs.ticket;

import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.Revoke;
import java.util.List;
import java.util.Optional;

/** What one ticket round decided for a game server's connection. */
public sealed interface TicketStep {
  /**
   * Send these tickets, oldest first: the next one, or after a resume or a failed round the kept
   * ones the connection has not delivered. The chain tip is now the last one's counter.
   */
  record Deliver(List<Attested<PlayTicket>> tickets) implements TicketStep {
    public Deliver {
      if (tickets.isEmpty()) {
        throw new IllegalArgumentException("nothing to deliver");
      }
      tickets = List.copyOf(tickets);
    }

    public long lastCounter() {
      return tickets.get(tickets.size() - 1).statement().counter();
    }
  }

  /** Nothing this round (the VS cannot back a ticket now, or the tip moved): try next round. */
  record Wait(String why) implements TicketStep {}

  /**
   * The connection must end with close status {@code 4000 + reasonCode}, after sending {@code
   * revoke} when the session was revoked and the VS could sign the Revoke.
   */
  record End(int reasonCode, Optional<Attested<Revoke>> revoke) implements TicketStep {}
}
