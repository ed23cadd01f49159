package dev.mmo.vs.audit;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.ProtectedReceipt;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes audit records into PostgreSQL, a whole batch in one transaction, idempotently: a record
 * written twice (a message delivered again after a crash before its ack) is kept once.
 *
 * <p>Through the reactive SQL client rather than Panache: a batch is a handful of prepared
 * statements executed with many parameter sets each, which Hibernate has no cheaper form for.
 */
@ApplicationScoped
public class AuditStore {
  private static final String INSERT_RECEIPT =
      "INSERT INTO receipts (session_id, gs_counter, receipt_tip, digest_hash, notarized_at,"
          + " receipt, digest, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
          + " ON CONFLICT (session_id, gs_counter) DO NOTHING";

  private static final String INSERT_REVOCATION =
      "INSERT INTO revocations (session_id, gs_id, reason_code, evidence, decided_at, record_id)"
          + " VALUES ($1, $2, $3, $4::text::jsonb, $5, $6) ON CONFLICT (record_id) DO NOTHING";

  /** A revoked session ends as REVOKED, if it is still ACTIVE; an ended one keeps its end. */
  private static final String END_SESSION =
      "UPDATE sessions SET status = 'REVOKED', ended_at = $2, end_reason = $3"
          + " WHERE id = $1 AND status = 'ACTIVE'";

  private final Pool pool;
  private final Clock clock;

  public AuditStore(Pool pool, Clock clock) {
    this.pool = requireNonNull(pool, "pool");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Writes every record of {@code batch} in one transaction; fails as a whole. */
  public Uni<Void> write(List<AuditRecord> batch) {
    OffsetDateTime now = timestamp(clock.instant());
    List<Tuple> receipts = new ArrayList<>();
    List<Tuple> revocations = new ArrayList<>();
    List<Tuple> endedSessions = new ArrayList<>();
    for (AuditRecord record : batch) {
      if (record instanceof ReceiptRecord receipt) {
        receipts.add(receiptRow(receipt, now));
      } else {
        RevocationRecord revocation = (RevocationRecord) record;
        revocations.add(revocationRow(revocation));
        if (revocation.sessionId() != null) {
          endedSessions.add(
              Tuple.of(
                  Buffer.buffer(revocation.sessionId().bytes().toByteArray()),
                  timestamp(revocation.decidedAt()),
                  revocation.reasonCode()));
        }
      }
    }
    return pool.withTransaction(
            connection ->
                execute(connection, INSERT_RECEIPT, receipts)
                    .chain(() -> execute(connection, INSERT_REVOCATION, revocations))
                    .chain(() -> execute(connection, END_SESSION, endedSessions)))
        .replaceWithVoid();
  }

  /**
   * Whether {@code failure} says that the records themselves can never be written (a constraint or
   * data error), as opposed to PostgreSQL being unreachable or busy, which passes.
   */
  public static boolean isPermanent(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException pg && pg.getSqlState() != null) {
        String state = pg.getSqlState();
        // 22: data exception; 23: integrity constraint violation (no such session, say).
        return state.startsWith("22") || state.startsWith("23");
      }
    }
    return false;
  }

  private static Tuple receiptRow(ReceiptRecord record, OffsetDateTime recordedAt) {
    ProtectedReceipt r = record.receipt().statement();
    return Tuple.from(
        Arrays.<Object>asList(
            Buffer.buffer(r.sessionId().bytes().toByteArray()),
            r.gsCounter(),
            Buffer.buffer(r.receiptTip().toByteArray()),
            Buffer.buffer(r.digestHash().toByteArray()),
            timestamp(Instant.ofEpochMilli(r.notarizedAtMs())),
            Buffer.buffer(Codec.encode(record.receipt())),
            Buffer.buffer(record.digestFrame().toByteArray()),
            recordedAt));
  }

  private static Tuple revocationRow(RevocationRecord record) {
    return Tuple.from(
        Arrays.<Object>asList(
            record.sessionId() == null
                ? null
                : Buffer.buffer(record.sessionId().bytes().toByteArray()),
            record.gsId().value(),
            record.reasonCode(),
            Json.write(record.evidence()),
            timestamp(record.decidedAt()),
            record.recordId()));
  }

  private static Uni<Void> execute(SqlConnection connection, String sql, List<Tuple> rows) {
    if (rows.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return connection.preparedQuery(sql).executeBatch(rows).replaceWithVoid();
  }

  private static OffsetDateTime timestamp(Instant instant) {
    // PostgreSQL keeps microseconds; truncating here makes a record read back equal to itself.
    return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }
}
