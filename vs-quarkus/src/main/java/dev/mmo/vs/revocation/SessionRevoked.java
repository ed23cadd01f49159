package dev.mmo.vs.revocation;

import dev.mmo.protocol.wire.SessionId;

/**
 * CDI event: session {@code sessionId} is revoked in Redis. Fired on the replica that decided it
 * and on every replica the broadcast reaches; whoever holds the session's connection pushes the
 * signed Revoke. Observers must not block.
 */
public record SessionRevoked(SessionId sessionId) {}
