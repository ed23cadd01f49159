package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;

/**
 * GS to VS: admit me. Signed with the game server's enrolled long-term key.
 *
 * @param sessionKey the ephemeral Ed25519 key the GS will sign this session's messages with
 * @param swHash SHA-256 of the software the GS runs (self-reported; see docs/security.md)
 * @param gsTimeMs the GS clock, ms since the Unix epoch, checked against the VS clock
 */
public record JoinRequest(
    GsId gsId, Ed25519PublicKey sessionKey, Hash swHash, long gsTimeMs, JoinNonce nonce)
    implements SignedBody {
  public JoinRequest {
    requireNonNull(gsId, "gsId");
    requireNonNull(sessionKey, "sessionKey");
    requireNonNull(swHash, "swHash");
    Checks.nonNegative(gsTimeMs, "gsTimeMs");
    requireNonNull(nonce, "nonce");
  }

  @Override
  public MessageType type() {
    return MessageType.JOIN_REQUEST;
  }
}
