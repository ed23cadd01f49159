package dev.mmo.vs.batch;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.vs.db.SafeContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * The {@code batch_heads} table through Hibernate Reactive Panache: where every signed head is
 * recorded before any statement it covers is released, and where the chain tip is rebuilt from when
 * Redis has lost it.
 *
 * <p>The batch signer calls in from HSM worker threads and Redis callbacks, where Panache finds no
 * session of its own; every operation therefore runs through {@link SafeContext}.
 */
@ApplicationScoped
public class BatchHeadStore {
  /**
   * Inserts a head unless its batch_seq is taken, and only onto its recorded predecessor: the
   * recorded chain cannot get a gap, whatever a caller believes about PostgreSQL.
   */
  private static final String INSERT_IF_ABSENT =
      "INSERT INTO batch_heads (batch_seq, key_id, prev_head_hash, time_ms, tree_size, root,"
          + " signature, head_hash, recorded_at)"
          + " SELECT CAST(:seq AS bigint), CAST(:keyId AS bytea), CAST(:prev AS bytea),"
          + " CAST(:timeMs AS bigint), CAST(:treeSize AS bigint), CAST(:root AS bytea),"
          + " CAST(:signature AS bytea), CAST(:headHash AS bytea), CAST(:recordedAt AS timestamptz)"
          + " WHERE CAST(:seq AS bigint) = 0 OR EXISTS (SELECT 1 FROM batch_heads p"
          + " WHERE p.batch_seq = CAST(:seq AS bigint) - 1 AND p.head_hash = CAST(:prev AS bytea))"
          + " ON CONFLICT DO NOTHING";

  private final Vertx vertx;
  private final Clock clock;

  public BatchHeadStore(Vertx vertx, Clock clock) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.clock = requireNonNull(clock, "clock");
  }

  /** The head with the highest batch_seq; empty when no head was ever recorded. */
  public Uni<Optional<SignedHead>> newest() {
    return SafeContext.run(
        vertx,
        () ->
            Panache.withSession(
                () ->
                    BatchHeadEntity.<BatchHeadEntity>find("order by batchSeq desc")
                        .firstResult()
                        .map(row -> Optional.ofNullable(row).map(BatchHeadEntity::toSignedHead))));
  }

  /**
   * Records {@code head} unless its batch_seq is already taken or the head it extends (batch_seq -
   * 1, with the hash {@code head} names) is not recorded.
   *
   * @return the hash of the head recorded at that batch_seq: {@code head}'s own, or another one's
   *     when another head holds the position; empty when the position is free but {@code head} was
   *     not recorded because its predecessor is not
   */
  public Uni<Optional<Hash>> insertIfAbsent(SignedHead head) {
    BatchHeadEntity row = BatchHeadEntity.of(head, clock.instant());
    return SafeContext.run(
        vertx,
        () ->
            Panache.withTransaction(
                () ->
                    insert(row)
                        .chain(
                            inserted ->
                                inserted == 1
                                    ? Uni.createFrom().item(Optional.of(head.hash()))
                                    : find(head.seq()).map(at -> at.map(SignedHead::hash)))));
  }

  // Two signers may record the same pending tip at once; ON CONFLICT makes that race a quiet no-op
  // instead of an error, and the read after it says whose head holds the position, if any.
  private static Uni<Integer> insert(BatchHeadEntity row) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(INSERT_IF_ABSENT)
                    .setParameter("seq", row.batchSeq)
                    .setParameter("keyId", row.keyId)
                    .setParameter("prev", row.prevHeadHash)
                    .setParameter("timeMs", row.timeMs)
                    .setParameter("treeSize", row.treeSize)
                    .setParameter("root", row.root)
                    .setParameter("signature", row.signature)
                    .setParameter("headHash", row.headHash)
                    .setParameter("recordedAt", row.recordedAt)
                    .executeUpdate());
  }

  /** The head recorded at {@code seq}; empty when none is. */
  public Uni<Optional<SignedHead>> recordedAt(long seq) {
    return SafeContext.run(vertx, () -> Panache.withSession(() -> find(seq)));
  }

  private static Uni<Optional<SignedHead>> find(long seq) {
    return BatchHeadEntity.<BatchHeadEntity>findById(seq)
        .map(row -> Optional.ofNullable(row).map(BatchHeadEntity::toSignedHead));
  }
}
