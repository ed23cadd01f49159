package dev.mmo.vs.batch;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.KeyId;
import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.vs.audit.AuditLog;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Rebuilds the chain tip when Redis cannot be trusted with it: the tip is gone, was written by an
 * earlier Redis run (a restart may have restored an older snapshot), does not parse, or names a
 * head the VS key did not sign. The new tip starts a new <em>epoch</em> at the newest head
 * PostgreSQL records.
 *
 * <p>Heads reach PostgreSQL through the audit queue, so PostgreSQL may lag heads whose statements
 * were released. The rebuild therefore first sends a fence through the queue and waits until the
 * writer has written it: the queue has a single active consumer writing in order, and every
 * released head was confirmed by the broker before the tip went wrong, so before the fence was sent
 * (vs-quarkus/README.md, "Batch heads through the audit queue", has the whole argument).
 *
 * <p>Then, in one transaction holding an exclusive lock on {@code batch_heads} and {@code
 * batch_chain_epochs} (the audit writer takes a conflicting lock to write heads, and rebuilds take
 * turns): read the tip again, read the newest head, open the epoch, write the new tip to Redis
 * uncommitted, commit, and mark the tip committed. A head of an older epoch that arrives later at a
 * position the new epoch took was never released; the writer keeps it as superseded. A tip left
 * uncommitted (its rebuild failed before or during the commit) is settled by the next rebuild under
 * the same lock: committed if its epoch is recorded, replaced if not.
 *
 * <p>Callers that arrive while a rebuild runs share it.
 */
@ApplicationScoped
public class ChainRebuild {
  private static final Logger LOG = Logger.getLogger(ChainRebuild.class);

  /** How often the fence is looked for in PostgreSQL. */
  private static final Duration FENCE_POLL = Duration.ofMillis(50);

  /** The longest a rebuild waits for the writer to drain the queue up to its fence. */
  static final Duration FENCE_DEADLINE = Duration.ofMinutes(5);

  private static final String LOCK = "LOCK TABLE batch_heads, batch_chain_epochs IN EXCLUSIVE MODE";
  private static final String FENCE_WRITTEN = "SELECT 1 FROM audit_fences WHERE id = $1";
  private static final String EPOCH_RECORDED = "SELECT 1 FROM batch_chain_epochs WHERE epoch = $1";
  private static final String NEWEST_HEAD =
      "SELECT batch_seq, key_id, prev_head_hash, time_ms, tree_size, root, signature, head_hash"
          + " FROM batch_heads ORDER BY batch_seq DESC LIMIT 1";
  private static final String NEXT_EPOCH =
      "SELECT coalesce(max(epoch), 0) + 1 FROM batch_chain_epochs";
  private static final String OPEN_EPOCH =
      "INSERT INTO batch_chain_epochs (epoch, first_seq, prev_head_hash, fence_id, started_at)"
          + " VALUES ($1, $2, $3, $4, $5)";

  private final AuditLog audit;
  private final Pool pool;
  private final ChainTips tips;
  private final Clock clock;

  /** The rebuild in progress, shared by every caller; null when none runs. */
  private CompletableFuture<Rebuilt> inFlight;

  /**
   * The tip a rebuild settled on.
   *
   * @param fromRecord true when this rebuild opened the epoch on the newest head PostgreSQL
   *     records: the head is trusted as recorded, even if an earlier VS key signed it (a rotation)
   */
  record Rebuilt(ChainTip tip, boolean fromRecord) {}

  public ChainRebuild(AuditLog audit, Pool pool, ChainTips tips, Clock clock) {
    this.audit = requireNonNull(audit, "audit");
    this.pool = requireNonNull(pool, "pool");
    this.tips = requireNonNull(tips, "tips");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * A committed tip to extend, after replacing {@code seen} (the state the caller found unusable)
   * unless another rebuild already did.
   */
  Uni<Rebuilt> rebuild(TipState seen) {
    CompletableFuture<Rebuilt> shared;
    boolean start = false;
    synchronized (this) {
      if (inFlight == null) {
        inFlight = new CompletableFuture<>();
        start = true;
      }
      shared = inFlight;
    }
    if (start) {
      LOG.warnf("batch chain tip unusable (%s: %s); rebuilding it", seen.kind(), seen.why());
      run(seen)
          .subscribe()
          .with(tip -> finish(shared, tip, null), failure -> finish(shared, null, failure));
    }
    return Uni.createFrom().completionStage(shared);
  }

  private void finish(CompletableFuture<Rebuilt> shared, Rebuilt rebuilt, Throwable failure) {
    synchronized (this) {
      inFlight = null;
    }
    if (failure == null) {
      ChainTip tip = rebuilt.tip();
      LOG.infof("batch chain tip rebuilt: epoch %d at batch_seq %d", tip.epoch(), tip.seq());
      shared.complete(rebuilt);
    } else {
      LOG.warnf("batch chain rebuild failed: %s", failure.getMessage());
      shared.completeExceptionally(failure);
    }
  }

  private Uni<Rebuilt> run(TipState seen) {
    UUID fence = UUID.randomUUID();
    return audit
        .fence(fence)
        .onFailure()
        .transform(e -> BatchFailure.of(BatchFailure.Reason.AUDIT, "fence not confirmed", e))
        .chain(() -> awaitFence(fence, System.nanoTime() + FENCE_DEADLINE.toNanos()))
        .chain(() -> database(pool.withTransaction(c -> settle(c, seen, fence))))
        .chain(this::markCommitted);
  }

  private Uni<Void> awaitFence(UUID fence, long deadlineNanos) {
    return database(pool.preparedQuery(FENCE_WRITTEN).execute(Tuple.of(fence)))
        .chain(
            rows -> {
              if (rows.size() > 0) {
                return Uni.createFrom().voidItem();
              }
              if (System.nanoTime() > deadlineNanos) {
                return Uni.createFrom()
                    .failure(
                        new BatchFailure(
                            BatchFailure.Reason.DATABASE,
                            "the audit writer did not reach the fence within " + FENCE_DEADLINE));
              }
              return Uni.createFrom()
                  .voidItem()
                  .onItem()
                  .delayIt()
                  .by(FENCE_POLL)
                  .chain(() -> awaitFence(fence, deadlineNanos));
            });
  }

  /** Under the lock: the tip to use, possibly one written just now and not yet committed. */
  private Uni<Rebuilt> settle(SqlConnection c, TipState seen, UUID fence) {
    return c.query(LOCK)
        .execute()
        .chain(() -> redis(tips.read()))
        .chain(
            now -> {
              if (now.kind() == TipState.Kind.CURRENT) {
                ChainTip tip = now.tip().orElseThrow();
                if (tip.committed() && !now.raw().equals(seen.raw())) {
                  // Another rebuild, or the chain moved on: checked like any tip found in Redis.
                  return Uni.createFrom().item(new Rebuilt(tip, false));
                }
                if (!tip.committed()) {
                  return c.preparedQuery(EPOCH_RECORDED)
                      .execute(Tuple.of(tip.epoch()))
                      .chain(
                          rows ->
                              rows.size() > 0
                                  ? Uni.createFrom().item(new Rebuilt(tip, false))
                                  : openEpoch(c, now, fence));
                }
              }
              return openEpoch(c, now, fence);
            });
  }

  private Uni<Rebuilt> openEpoch(SqlConnection c, TipState replacing, UUID fence) {
    return c.query(NEWEST_HEAD)
        .execute()
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<SignedHead>empty()
                    : Optional.of(head(rows.iterator().next())))
        .chain(
            newest ->
                c.query(NEXT_EPOCH)
                    .execute()
                    .map(rows -> rows.iterator().next().getLong(0))
                    .chain(
                        epoch -> {
                          ChainTip next = ChainTip.rebuilt(epoch, newest);
                          Tuple row =
                              Tuple.of(
                                  epoch,
                                  next.seq() + 1,
                                  Buffer.buffer(next.hash().toByteArray()),
                                  fence,
                                  clock.instant().atOffset(ZoneOffset.UTC));
                          return c.preparedQuery(OPEN_EPOCH)
                              .execute(row)
                              .chain(() -> redis(tips.replace(replacing, next)))
                              .map(
                                  after -> {
                                    if (!ChainTips.holds(after, next)) {
                                      // Rolls the epoch back: Redis changed under the lock.
                                      throw new BatchFailure(
                                          BatchFailure.Reason.CHAIN,
                                          "the chain tip changed while it was being rebuilt");
                                    }
                                    return new Rebuilt(next, true);
                                  });
                        }));
  }

  /** After the commit: the epoch is recorded, so the tip may be extended. */
  private Uni<Rebuilt> markCommitted(Rebuilt rebuilt) {
    ChainTip tip = rebuilt.tip();
    if (tip.committed()) {
      return Uni.createFrom().item(rebuilt);
    }
    ChainTip committed = tip.asCommitted();
    return redis(tips.compareAndSet(tip, committed))
        .map(
            after -> {
              if (!ChainTips.holds(after, committed)) {
                throw new BatchFailure(
                    BatchFailure.Reason.CHAIN,
                    "the rebuilt chain tip changed before it was committed");
              }
              return new Rebuilt(committed, rebuilt.fromRecord());
            });
  }

  private static SignedHead head(Row row) {
    SignedHead signed;
    try {
      signed =
          new SignedHead(
              new BatchHead(
                  new KeyId(Bytes.copyOf(row.getBuffer(1).getBytes())),
                  row.getLong(0),
                  Hash.of(row.getBuffer(2).getBytes()),
                  row.getLong(3),
                  row.getLong(4),
                  Hash.of(row.getBuffer(5).getBytes())),
              EcdsaP256Signature.of(row.getBuffer(6).getBytes()));
    } catch (IllegalArgumentException e) {
      throw new BatchFailure(
          BatchFailure.Reason.CHAIN, "batch_heads row " + row.getLong(0) + " is malformed", e);
    }
    if (!Arrays.equals(signed.hash().toByteArray(), row.getBuffer(7).getBytes())) {
      throw new BatchFailure(
          BatchFailure.Reason.CHAIN,
          "batch_heads row " + row.getLong(0) + " contradicts its head hash");
    }
    return signed;
  }

  private static <T> Uni<T> redis(Uni<T> step) {
    return step.onFailure()
        .transform(e -> BatchFailure.of(BatchFailure.Reason.REDIS, "Redis failed", e));
  }

  private static <T> Uni<T> database(Uni<T> step) {
    return step.onFailure()
        .transform(e -> BatchFailure.of(BatchFailure.Reason.DATABASE, "PostgreSQL failed", e));
  }
}
