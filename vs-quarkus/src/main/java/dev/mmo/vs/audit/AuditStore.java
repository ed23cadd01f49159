package dev.mmo.vs.audit;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.vs.batch.SignedHead;
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

  /**
   * Heads and rebuilds take turns on the chain: a rebuild holds EXCLUSIVE while it reads the newest
   * head and opens an epoch, so no head lands in between (ChainRebuild).
   */
  private static final String LOCK_HEADS = "LOCK TABLE batch_heads IN ROW EXCLUSIVE MODE";

  private static final String HEAD_AT = "SELECT head_hash FROM batch_heads WHERE batch_seq = $1";

  /** A newer epoch that starts at or below this batch_seq: the head lost its position. */
  private static final String SUPERSEDED =
      "SELECT epoch FROM batch_chain_epochs WHERE epoch > $1 AND first_seq <= $2 LIMIT 1";

  private static final String INSERT_HEAD =
      "INSERT INTO batch_heads (batch_seq, key_id, prev_head_hash, time_ms, tree_size, root,"
          + " signature, head_hash, recorded_at, epoch) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
          + " $9, $10)";

  private static final String INSERT_SUPERSEDED =
      "INSERT INTO superseded_batch_heads (batch_seq, key_id, prev_head_hash, time_ms, tree_size,"
          + " root, signature, head_hash, recorded_at, epoch) VALUES ($1, $2, $3, $4, $5, $6, $7,"
          + " $8, $9, $10) ON CONFLICT DO NOTHING";

  private static final String INSERT_FENCE =
      "INSERT INTO audit_fences (id, written_at) VALUES ($1, $2) ON CONFLICT DO NOTHING";

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
    List<HeadRecord> heads = new ArrayList<>();
    List<Tuple> fences = new ArrayList<>();
    for (AuditRecord record : batch) {
      if (record instanceof ReceiptRecord receipt) {
        receipts.add(receiptRow(receipt, now));
      } else if (record instanceof HeadRecord head) {
        heads.add(head);
      } else if (record instanceof FenceRecord fence) {
        fences.add(Tuple.of(fence.id(), now));
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
                writeHeads(connection, heads, now)
                    .chain(() -> execute(connection, INSERT_FENCE, fences))
                    .chain(() -> execute(connection, INSERT_RECEIPT, receipts))
                    .chain(() -> execute(connection, INSERT_REVOCATION, revocations))
                    .chain(() -> execute(connection, END_SESSION, endedSessions)))
        .replaceWithVoid();
  }

  /**
   * Writes heads in the order they were published, each onto its recorded predecessor. A head at a
   * position that a newer epoch took over was never released (vs-quarkus/README.md, "Batch heads
   * through the audit queue"): it is kept as superseded. A head that conflicts with the recorded
   * chain otherwise is refused for good, so the record goes to the dead-letter queue.
   */
  private static Uni<Void> writeHeads(
      SqlConnection connection, List<HeadRecord> heads, OffsetDateTime now) {
    if (heads.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Uni<Void> chain = connection.query(LOCK_HEADS).execute().replaceWithVoid();
    for (HeadRecord head : heads) {
      chain = chain.chain(() -> writeHead(connection, head, now));
    }
    return chain;
  }

  private static Uni<Void> writeHead(
      SqlConnection connection, HeadRecord record, OffsetDateTime now) {
    SignedHead head = record.head();
    long seq = head.seq();
    return hashAt(connection, seq)
        .chain(
            recorded -> {
              if (recorded != null && Arrays.equals(recorded, head.hash().toByteArray())) {
                return Uni.createFrom().voidItem(); // written before: a redelivery or a vouch
              }
              return connection
                  .preparedQuery(SUPERSEDED)
                  .execute(Tuple.of(record.epoch(), seq))
                  .chain(
                      newer -> {
                        if (newer.size() > 0) {
                          return connection
                              .preparedQuery(INSERT_SUPERSEDED)
                              .execute(headRow(record, now))
                              .replaceWithVoid();
                        }
                        if (recorded != null) {
                          return refuse(
                              "batch_seq " + seq + " is recorded with another head, same epoch");
                        }
                        return insertOntoPredecessor(connection, record, now);
                      });
            });
  }

  private static Uni<Void> insertOntoPredecessor(
      SqlConnection connection, HeadRecord record, OffsetDateTime now) {
    SignedHead head = record.head();
    byte[] prev = head.head().prevBatchHeadHash().toByteArray();
    Uni<Boolean> linked =
        head.seq() == 0
            ? Uni.createFrom().item(Arrays.equals(prev, new byte[prev.length]))
            : hashAt(connection, head.seq() - 1).map(p -> p != null && Arrays.equals(p, prev));
    return linked.chain(
        ok ->
            ok
                ? connection
                    .preparedQuery(INSERT_HEAD)
                    .execute(headRow(record, now))
                    .replaceWithVoid()
                : refuse(
                    "batch_seq "
                        + head.seq()
                        + " does not extend the recorded head at batch_seq "
                        + (head.seq() - 1)));
  }

  private static Uni<byte[]> hashAt(SqlConnection connection, long seq) {
    return connection
        .preparedQuery(HEAD_AT)
        .execute(Tuple.of(seq))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBuffer(0).getBytes());
  }

  private static Tuple headRow(HeadRecord record, OffsetDateTime now) {
    SignedHead signed = record.head();
    BatchHead head = signed.head();
    return Tuple.from(
        Arrays.<Object>asList(
            head.batchSeq(),
            Buffer.buffer(head.keyId().bytes().toByteArray()),
            Buffer.buffer(head.prevBatchHeadHash().toByteArray()),
            head.timeMs(),
            head.treeSize(),
            Buffer.buffer(head.root().toByteArray()),
            Buffer.buffer(signed.signature().bytes().toByteArray()),
            Buffer.buffer(signed.hash().toByteArray()),
            now,
            record.epoch()));
  }

  private static Uni<Void> refuse(String why) {
    return Uni.createFrom().failure(new RefusedAuditRecordException(why));
  }

  /**
   * Whether {@code failure} says that the records themselves can never be written (a constraint or
   * data error), as opposed to PostgreSQL being unreachable or busy, which passes.
   */
  public static boolean isPermanent(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RefusedAuditRecordException) {
        return true;
      }
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
