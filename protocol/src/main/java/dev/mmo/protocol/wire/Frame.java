package dev.mmo.protocol.wire;

/**
 * What travels in one binary WebSocket frame: a body signed with an Ed25519 key, or a VS statement
 * with its Merkle proof under an HSM-signed batch head.
 */
public sealed interface Frame permits Signed, Attested {
  MessageType type();
}
