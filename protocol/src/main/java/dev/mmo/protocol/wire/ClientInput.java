package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.world.Vec2;

/**
 * Client to GS, signed with the client key: one input.
 *
 * @param ticketCounter counter of the ticket the client holds as current
 * @param ticketHash statement hash of that ticket
 * @param clientNonce strictly increasing per client, starting at 1
 * @param move the displacement the player asks for, in world units; the GS clamps it
 * @param actions game-defined action bits
 */
public record ClientInput(
    SessionId sessionId,
    long ticketCounter,
    Hash ticketHash,
    long clientNonce,
    Vec2 move,
    int actions)
    implements SignedBody {
  public ClientInput {
    requireNonNull(sessionId, "sessionId");
    Checks.positive(ticketCounter, "ticketCounter");
    requireNonNull(ticketHash, "ticketHash");
    Checks.positive(clientNonce, "clientNonce");
    requireNonNull(move, "move");
  }

  @Override
  public MessageType type() {
    return MessageType.CLIENT_INPUT;
  }
}
