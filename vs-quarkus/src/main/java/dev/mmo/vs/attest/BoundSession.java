package dev.mmo.vs.attest;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.world.GameRules;

/**
 * What a bound connection knows about its session for good: the pins of its JoinAccept, so that a
 * heartbeat is checked without reading them again.
 *
 * @param verifier the session key, decoded once
 */
public record BoundSession(
    SessionId sessionId, GsId gsId, Ed25519Verifier verifier, Hash swHash, GameRules rules) {
  public BoundSession {
    requireNonNull(sessionId, "sessionId");
    requireNonNull(gsId, "gsId");
    requireNonNull(verifier, "verifier");
    requireNonNull(swHash, "swHash");
    requireNonNull(rules, "rules");
  }
}
