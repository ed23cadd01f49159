package dev.mmo.vs.audit;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A revocation the VS decided, as the audit trail keeps it: the session (or only the game server),
 * the reason code, the evidence and when.
 *
 * @param recordId unique per decision: a record delivered twice is written once
 * @param sessionId the revoked session; null when a whole game server is revoked
 */
public record RevocationRecord(
    UUID recordId,
    SessionId sessionId,
    GsId gsId,
    int reasonCode,
    Map<String, Object> evidence,
    Instant decidedAt)
    implements AuditRecord {
  public RevocationRecord {
    requireNonNull(recordId, "recordId");
    requireNonNull(gsId, "gsId");
    evidence = Map.copyOf(evidence);
    requireNonNull(decidedAt, "decidedAt");
  }
}
