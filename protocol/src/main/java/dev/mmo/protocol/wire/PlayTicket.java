package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Hash;

/**
 * VS to GS to clients: this session is still blessed from {@code notBeforeMs} to {@code notAfterMs}
 * (VS time). Tickets form a hash chain: ticket 1 points at the JoinAccept, ticket n at ticket n-1.
 *
 * @param clientBinding reserved: a version-1 VS sends 32 zero bytes; receivers accept and ignore
 *     any value (it is VS-proven), so a later VS can fill it without breaking version-1 clients
 * @param counter 1 for the first ticket of a session, then +1
 * @param prevTicketHash statement hash of ticket counter-1, or of the JoinAccept for ticket 1
 */
public record PlayTicket(
    SessionId sessionId,
    Hash clientBinding,
    long counter,
    long notBeforeMs,
    long notAfterMs,
    Hash prevTicketHash)
    implements VsStatement {
  public PlayTicket {
    requireNonNull(sessionId, "sessionId");
    requireNonNull(clientBinding, "clientBinding");
    Checks.positive(counter, "counter");
    Checks.nonNegative(notBeforeMs, "notBeforeMs");
    if (notAfterMs <= notBeforeMs) {
      throw new IllegalArgumentException("ticket must end after it starts");
    }
    requireNonNull(prevTicketHash, "prevTicketHash");
  }

  @Override
  public MessageType type() {
    return MessageType.PLAY_TICKET;
  }
}
