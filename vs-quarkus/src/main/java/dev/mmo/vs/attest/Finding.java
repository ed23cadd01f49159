package dev.mmo.vs.attest;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Reason;
import java.util.Map;

/**
 * A failed check of a heartbeat or digest: the reason the session is revoked with and the evidence
 * the audit trail keeps (JSON-writable values only).
 */
public record Finding(Reason reason, String detail, Map<String, Object> evidence) {
  public Finding {
    requireNonNull(reason, "reason");
    requireNonNull(detail, "detail");
    evidence = Map.copyOf(evidence);
  }
}
