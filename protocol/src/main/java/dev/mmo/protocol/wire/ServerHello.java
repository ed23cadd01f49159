package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import java.util.List;

/**
 * GS to client, answering a ClientHello: my JoinAccept and latest tickets, signed with the session
 * key the JoinAccept pins, over the client's own key and challenge (proof that this GS holds the
 * blessed session key right now).
 *
 * @param tickets the newest tickets, oldest first, 1..{@value Limits#MAX_HELLO_TICKETS}
 */
public record ServerHello(
    Ed25519PublicKey clientKey,
    Challenge challenge,
    Attested<JoinAccept> joinAccept,
    List<Attested<PlayTicket>> tickets)
    implements SignedBody {
  public ServerHello {
    requireNonNull(clientKey, "clientKey");
    requireNonNull(challenge, "challenge");
    requireNonNull(joinAccept, "joinAccept");
    tickets = Checks.sizeBetween(tickets, 1, Limits.MAX_HELLO_TICKETS, "tickets");
  }

  @Override
  public MessageType type() {
    return MessageType.SERVER_HELLO;
  }
}
