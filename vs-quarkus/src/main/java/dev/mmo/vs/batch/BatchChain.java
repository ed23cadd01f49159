package dev.mmo.vs.batch;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.trust.BatchSealer;
import dev.mmo.protocol.trust.SealedBatch;
import dev.mmo.vs.audit.AuditLog;
import dev.mmo.vs.hsm.HsmSigner;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Seals one batch at a time onto the one batch-head chain that all VS replicas share.
 *
 * <p>A round: sign the head on the HSM onto the tip, a durable one, move the Redis tip to it with a
 * compare-and-set (pending), publish the head to the audit queue and wait for the broker's confirm,
 * then mark the tip durable. The batch is released only when that last step finds the tip still in
 * the same epoch at or beyond this head: within an epoch the tip only moves forward, one link at a
 * time, so the head is part of the chain every replica extends.
 *
 * <p>A pending tip another signer left (it failed between Redis and the broker, or is just slower)
 * is published again by whoever finds it, after checking that the VS key signed it, and then marked
 * durable; the writer keeps a head once however often it arrives. PostgreSQL is not on this path at
 * all: heads reach it through the queue, in order, each onto its predecessor.
 *
 * <p>A tip that cannot be trusted (absent, written by an earlier Redis run, damaged, or not signed
 * by the VS key) is never extended: {@link ChainRebuild} replaces it, in a new epoch, from what
 * PostgreSQL records once the queue has drained up to a fence.
 *
 * <p>Not thread-safe: its owner runs one batch at a time.
 */
final class BatchChain {
  private static final Logger LOG = Logger.getLogger(BatchChain.class);

  /** Rounds one batch may take before it gives up; a round costs at most one HSM signature. */
  static final int MAX_ROUNDS = 8;

  private final HsmSigner hsm;
  private final ChainTips tips;
  private final ChainRebuild rebuild;
  private final AuditLog audit;
  private final BatchMetrics metrics;

  /**
   * The tip as this signer last saw it; null when unknown. A hint that saves a Redis read per
   * batch, never trusted: the compare-and-set checks it.
   */
  private volatile ChainTip knownTip;

  /** The newest head hash this signer signed or checked against the VS key. */
  private volatile Hash checkedHead;

  BatchChain(
      HsmSigner hsm, ChainTips tips, ChainRebuild rebuild, AuditLog audit, BatchMetrics metrics) {
    this.hsm = requireNonNull(hsm, "hsm");
    this.tips = requireNonNull(tips, "tips");
    this.rebuild = requireNonNull(rebuild, "rebuild");
    this.audit = requireNonNull(audit, "audit");
    this.metrics = requireNonNull(metrics, "metrics");
  }

  /** A batch sealed, chained and confirmed, and the HSM signatures it took. */
  record Sealed(SealedBatch batch, int signatures) {}

  /**
   * Signs {@code leaves} (statement bytes, in leaf order) as the next batch of the chain, closed at
   * {@code timeMs}. Fails with a {@link BatchFailure} naming the part that failed.
   */
  Uni<Sealed> seal(List<byte[]> leaves, long timeMs) {
    Batch batch = new Batch(leaves, timeMs);
    ChainTip known = knownTip;
    Uni<ChainTip> tip = known != null ? Uni.createFrom().item(known) : load();
    return tip.chain(t -> round(batch, t, 1))
        .map(signed -> new Sealed(signed, batch.signatures().get()))
        .onFailure()
        .invoke(() -> knownTip = null);
  }

  /** The batch being sealed, and the HSM signatures spent on it so far. */
  private record Batch(List<byte[]> leaves, long timeMs, AtomicInteger signatures) {
    Batch(List<byte[]> leaves, long timeMs) {
      this(leaves, timeMs, new AtomicInteger());
    }
  }

  /** The tip from Redis, rebuilt when it cannot be used as it is. */
  private Uni<ChainTip> load() {
    return redis(tips.read()).chain(this::usable);
  }

  private Uni<ChainTip> usable(TipState state) {
    if (state.usable().isPresent()) {
      return Uni.createFrom().item(state.usable().get());
    }
    return rebuilt(state);
  }

  private Uni<ChainTip> rebuilt(TipState state) {
    metrics.chainRebuild();
    return rebuild
        .rebuild(state)
        .map(
            rebuilt -> {
              if (rebuilt.fromRecord()) {
                // PostgreSQL's newest head: recorded, so trusted even if an earlier key signed it.
                rebuilt.tip().head().ifPresent(h -> checkedHead = h.hash());
              }
              return rebuilt.tip();
            });
  }

  private Uni<SealedBatch> round(Batch batch, ChainTip tip, int round) {
    if (round > MAX_ROUNDS) {
      return Uni.createFrom()
          .failure(
              new BatchFailure(
                  BatchFailure.Reason.CHAIN,
                  "the chain tip kept moving; gave up after " + MAX_ROUNDS + " rounds"));
    }
    return checked(tip)
        .chain(
            ok -> {
              if (!ok) {
                LOG.warnf(
                    "the chain tip in Redis (epoch %d, batch_seq %d) is not signed by the VS key",
                    tip.epoch(), tip.seq());
                metrics.chainConflict();
                return redis(tips.read())
                    .chain(
                        state ->
                            state.tip().equals(Optional.of(tip))
                                ? rebuilt(
                                    new TipState(
                                        TipState.Kind.DAMAGED,
                                        state.raw(),
                                        Optional.empty(),
                                        "not signed by the VS key"))
                                : usable(state))
                    .chain(t -> round(batch, t, round + 1));
              }
              if (!tip.durable()) {
                return vouch(tip).chain(t -> round(batch, t, round + 1));
              }
              return extend(batch, tip, round);
            });
  }

  /**
   * Whether the VS key signed the tip's head: checked once per head this signer did not sign
   * itself, since a replica must never chain onto a head that only Redis vouches for.
   */
  private Uni<Boolean> checked(ChainTip tip) {
    if (tip.head().isEmpty() || tip.hash().equals(checkedHead)) {
      return Uni.createFrom().item(true);
    }
    SignedHead head = tip.head().get();
    return hsm.withKey(key -> head.isSignedBy(key.publicKey()))
        .onFailure()
        .transform(e -> BatchFailure.of(BatchFailure.Reason.HSM, "cannot check the chain tip", e))
        .invoke(
            ok -> {
              if (ok) {
                checkedHead = head.hash();
              }
            });
  }

  /** Publishes a pending tip another signer left, then marks it durable. */
  private Uni<ChainTip> vouch(ChainTip pending) {
    return published(pending)
        .chain(() -> redis(tips.compareAndSet(pending, pending.asDurable())))
        .chain(this::usable);
  }

  /** Signs the batch onto {@code tip}, a durable one, and moves the tip to it. */
  private Uni<SealedBatch> extend(Batch batch, ChainTip tip, int round) {
    long seq = tip.seq() + 1;
    Hash prev = tip.hash();
    long hsmStart = System.nanoTime();
    return hsm.withKey(
            key -> BatchSealer.sealLeaves(batch.leaves(), seq, prev, batch.timeMs(), key))
        .onFailure()
        .transform(e -> BatchFailure.of(BatchFailure.Reason.HSM, "the HSM could not seal", e))
        .invoke(
            signed -> {
              batch.signatures().incrementAndGet();
              metrics.headSigned(System.nanoTime() - hsmStart);
            })
        .chain(
            signed -> {
              SignedHead head = SignedHead.of(signed);
              ChainTip pending = tip.extendedBy(head);
              return redis(tips.compareAndSet(tip, pending))
                  .chain(
                      after -> {
                        if (ChainTips.holds(after, pending)) {
                          checkedHead = head.hash();
                          return confirm(signed, pending);
                        }
                        metrics.chainConflict();
                        knownTip = null;
                        return usable(after).chain(t -> round(batch, t, round + 1));
                      });
            });
  }

  /**
   * Publishes the head, marks the tip durable, and releases the batch if the tip still reaches the
   * head.
   */
  private Uni<SealedBatch> confirm(SealedBatch signed, ChainTip pending) {
    return published(pending)
        .chain(() -> redis(tips.compareAndSet(pending, pending.asDurable())))
        .map(
            after -> {
              ChainTip now = after.tip().orElse(null);
              if (after.kind() != TipState.Kind.CURRENT || !now.reaches(pending)) {
                throw new BatchFailure(
                    BatchFailure.Reason.CHAIN,
                    "the chain tip was replaced before batch_seq "
                        + pending.seq()
                        + " was durable; its statements are not released");
              }
              knownTip = now.durable() ? now : null;
              return signed;
            });
  }

  private Uni<Void> published(ChainTip tip) {
    return audit
        .head(tip.head().orElseThrow(), tip.epoch())
        .onFailure()
        .transform(
            e ->
                BatchFailure.of(
                    BatchFailure.Reason.AUDIT,
                    "the broker did not confirm batch_seq " + tip.seq(),
                    e));
  }

  private static <T> Uni<T> redis(Uni<T> step) {
    return step.onFailure()
        .transform(e -> BatchFailure.of(BatchFailure.Reason.REDIS, "Redis failed", e));
  }
}
