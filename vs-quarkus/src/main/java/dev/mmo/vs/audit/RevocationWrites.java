package dev.mmo.vs.audit;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.time.temporal.ChronoUnit;

/** The SQL a revocation record becomes, inside the caller's transaction. */
final class RevocationWrites {
  private RevocationWrites() {}

  /** Inserts the revocation unless a row with its record id exists. */
  static Uni<Integer> insertOnce(RevocationRecord record) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "INSERT INTO revocations (session_id, gs_id, reason_code, evidence, decided_at,"
                            + " record_id) VALUES (?1, ?2, ?3, cast(cast(?4 as text) as jsonb), ?5, ?6)"
                            + " ON CONFLICT (record_id) DO NOTHING")
                    .setParameter(
                        1,
                        record.sessionId() == null
                            ? null
                            : record.sessionId().bytes().toByteArray())
                    .setParameter(2, record.gsId().value())
                    .setParameter(3, record.reasonCode())
                    .setParameter(4, Json.write(record.evidence()))
                    .setParameter(5, record.decidedAt().truncatedTo(ChronoUnit.MICROS))
                    .setParameter(6, record.recordId())
                    .executeUpdate());
  }

  /** Marks the revoked session REVOKED, if it is still ACTIVE. */
  static Uni<Integer> endSession(RevocationRecord record) {
    if (record.sessionId() == null) {
      return Uni.createFrom().item(0);
    }
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "UPDATE sessions SET status = 'REVOKED', ended_at = ?2, end_reason = ?3"
                            + " WHERE id = ?1 AND status = 'ACTIVE'")
                    .setParameter(1, record.sessionId().bytes().toByteArray())
                    .setParameter(2, record.decidedAt().truncatedTo(ChronoUnit.MICROS))
                    .setParameter(3, record.reasonCode())
                    .executeUpdate());
  }
}
