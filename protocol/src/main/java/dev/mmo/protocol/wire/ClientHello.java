package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Ed25519PublicKey;

/**
 * Client to GS, first frame: my key, a fresh challenge, my clock, and the game server I mean to
 * reach. Signed with {@code clientKey} itself, so the GS knows the client holds the key its inputs
 * will be signed with. The GS refuses a hello for another GS, one whose time is too far from its
 * own, or one whose challenge it has seen: a captured hello cannot be replayed.
 */
public record ClientHello(
    Ed25519PublicKey clientKey, Challenge challenge, long clientTimeMs, GsId gsId)
    implements SignedBody {
  public ClientHello {
    requireNonNull(clientKey, "clientKey");
    requireNonNull(challenge, "challenge");
    Checks.nonNegative(clientTimeMs, "clientTimeMs");
    requireNonNull(gsId, "gsId");
  }

  @Override
  public MessageType type() {
    return MessageType.CLIENT_HELLO;
  }
}
