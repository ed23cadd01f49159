package dev.mmo.vs.batch;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.trust.BatchSealer;
import dev.mmo.protocol.trust.SealedBatch;
import dev.mmo.vs.hsm.HsmSigner;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Seals one batch at a time onto the one batch-head chain that all VS replicas share.
 *
 * <p>A round: sign the head on the HSM over the tip this signer believes in, move the Redis tip to
 * it with a compare-and-set, record it in PostgreSQL, then mark the tip durable. When the
 * compare-and-set finds that another replica moved the tip, the head is built and signed again on
 * the new tip. PostgreSQL's primary key on batch_seq backs the compare-and-set: should Redis ever
 * be wrong, a head that loses the position there is never released.
 *
 * <p>The recorded chain never has a gap, because a tip is extended only once it is known to be
 * recorded: this signer recorded it, or found it recorded, or, for a tip another signer moved to
 * but did not record (it failed in between) or that PostgreSQL lost, records it itself after
 * checking that the VS key signed it and that it extends the newest recorded head. A pending tip
 * that does not verify (forged, or signed before a key rotation) is replaced by the newest recorded
 * head instead, so nothing unverified enters the audit trail.
 *
 * <p>The tip never moves back below a durable tip: statements may have been released under it, so a
 * head signed again at its batch_seq would be a second signed head for one position, provable
 * equivocation. When Redis and PostgreSQL disagree in a way the signer cannot repair without that
 * risk (PostgreSQL lost more than the tip, records another head at its position, or the tip is not
 * the VS key's), the chain <em>stalls</em>: every batch fails with {@code CHAIN}, the gauge {@code
 * mmo.vs.batch.chain.stalled} is 1 and an error is logged, until an operator reconciles the two
 * (vs-quarkus/README.md, "Batch chain stalled").
 *
 * <p>Not thread-safe: its owner runs one batch at a time.
 */
final class BatchChain {
  private static final Logger LOG = Logger.getLogger(BatchChain.class);

  /** Rounds one batch may take before it gives up; a round costs at most one HSM signature. */
  static final int MAX_ROUNDS = 8;

  private final HsmSigner hsm;
  private final ChainTips tips;
  private final BatchHeadStore heads;
  private final BatchMetrics metrics;

  /**
   * The tip as this signer last saw it; null when unknown. A hint that saves a Redis read per
   * batch, never trusted: the compare-and-set checks it.
   */
  private volatile Optional<ChainTip> knownTip;

  /** The newest head this signer knows to be recorded, having recorded or checked it itself. */
  private volatile SignedHead vouchedHead;

  /** Why the chain is stalled, as last logged; null while it is not. */
  private volatile String stalledOn;

  BatchChain(HsmSigner hsm, ChainTips tips, BatchHeadStore heads, BatchMetrics metrics) {
    this.hsm = requireNonNull(hsm, "hsm");
    this.tips = requireNonNull(tips, "tips");
    this.heads = requireNonNull(heads, "heads");
    this.metrics = requireNonNull(metrics, "metrics");
  }

  /** A batch sealed, chained and recorded, and the HSM signatures it took. */
  record Sealed(SealedBatch batch, int signatures) {}

  /**
   * Signs {@code leaves} (statement bytes, in leaf order) as the next batch of the chain, closed at
   * {@code timeMs}. Fails with a {@link BatchFailure} naming the part that failed.
   */
  Uni<Sealed> seal(List<byte[]> leaves, long timeMs) {
    Batch batch = new Batch(leaves, timeMs);
    Optional<ChainTip> known = knownTip;
    Uni<Optional<ChainTip>> tip = known != null ? Uni.createFrom().item(known) : loadTip();
    return tip.chain(t -> round(batch, t, 1))
        .map(signed -> new Sealed(signed, batch.signatures().get()))
        .invoke(this::unstall)
        .onFailure()
        .invoke(() -> knownTip = null);
  }

  private void unstall() {
    if (stalledOn != null) {
      LOG.infof("batch chain no longer stalled (was: %s)", stalledOn);
      stalledOn = null;
      metrics.chainStalled(false);
    }
  }

  /** The batch being sealed, and the HSM signatures spent on it so far. */
  private record Batch(List<byte[]> leaves, long timeMs, AtomicInteger signatures) {
    Batch(List<byte[]> leaves, long timeMs) {
      this(leaves, timeMs, new AtomicInteger());
    }
  }

  private Uni<SealedBatch> round(Batch batch, Optional<ChainTip> tip, int round) {
    if (round > MAX_ROUNDS) {
      return gaveUp();
    }
    if (tip.isPresent() && !tip.get().head().equals(vouchedHead)) {
      return vouchFor(tip.get())
          .chain(
              settled ->
                  settled.equals(tip)
                      ? extend(batch, tip, round)
                      : round(batch, settled, round + 1));
    }
    return extend(batch, tip, round);
  }

  /** Signs the batch onto {@code tip}, which is known to be recorded, and moves the tip to it. */
  private Uni<SealedBatch> extend(Batch batch, Optional<ChainTip> tip, int round) {
    long seq = tip.map(t -> t.seq() + 1).orElse(0L);
    Hash prev = tip.map(ChainTip::hash).orElse(Hash.ZERO);
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
              ChainTip pending = ChainTip.pending(SignedHead.of(signed));
              return redis(tips.compareAndSet(tip, pending))
                  .chain(
                      after -> {
                        if (after.equals(Optional.of(pending))) {
                          return record(batch, signed, pending, tip, round);
                        }
                        metrics.chainConflict();
                        return (after.isPresent() ? Uni.createFrom().item(after) : loadTip())
                            .chain(t -> round(batch, t, round + 1));
                      });
            });
  }

  private static <T> Uni<T> gaveUp() {
    return Uni.createFrom()
        .failure(
            new BatchFailure(
                BatchFailure.Reason.CHAIN,
                "the chain tip kept moving; gave up after " + MAX_ROUNDS + " rounds"));
  }

  /**
   * Records the head the tip now names, {@code pending}, built on {@code extended}, then marks the
   * tip durable.
   */
  private Uni<SealedBatch> record(
      Batch batch, SealedBatch signed, ChainTip pending, Optional<ChainTip> extended, int round) {
    if (round > MAX_ROUNDS) {
      return gaveUp();
    }
    return database(heads.insertIfAbsent(pending.head()))
        .chain(
            recorded -> {
              if (recorded.isEmpty()) {
                // PostgreSQL lost the head this batch extended (restored from an old backup, say),
                // though this signer had seen it recorded: record that one again if it can, then
                // this one. (Only batch_seq 0 has no predecessor, and it is never refused so.)
                vouchedHead = null;
                return vouchFor(extended.orElseThrow())
                    .chain(
                        settled ->
                            settled.equals(extended)
                                ? record(batch, signed, pending, extended, round + 1)
                                : round(batch, settled, round + 1));
              }
              if (!recorded.get().equals(pending.hash())) {
                // Redis was behind PostgreSQL (restored from an old snapshot, say): another head
                // holds this batch_seq. Ours was never released; follow the record forward.
                LOG.warnf(
                    "batch_seq %d is recorded with another head: Redis was stale", pending.seq());
                metrics.chainConflict();
                return database(heads.newest())
                    .chain(newest -> moveTo(pending, newest.orElseThrow()))
                    .chain(t -> round(batch, t, round + 1));
              }
              vouchedHead = pending.head();
              ChainTip durable = pending.asDurable();
              return redis(tips.compareAndSet(Optional.of(pending), durable))
                  .map(
                      after -> {
                        // Another signer may have marked it durable, or moved on: either way the
                        // head is recorded and chained.
                        knownTip = after.isPresent() ? after : null;
                        return signed;
                      });
            });
  }

  /**
   * Makes sure {@code tip}, which this signer did not record, is recorded before anything is
   * chained to it.
   *
   * @return {@code tip} itself when it can be extended as it is, else the tip to try next
   */
  private Uni<Optional<ChainTip>> vouchFor(ChainTip tip) {
    return database(heads.newest()).chain(newest -> settle(tip, newest));
  }

  /**
   * Settles {@code tip} against PostgreSQL, whose newest recorded head is {@code newest}. The tip
   * only ever moves forward: a durable tip may have had statements released under it, so any head
   * signed again at or below its batch_seq would be a second signed head for one position.
   */
  private Uni<Optional<ChainTip>> settle(ChainTip tip, Optional<SignedHead> newest) {
    long recordedSeq = newest.map(SignedHead::seq).orElse(-1L);
    if (recordedSeq < tip.seq()) {
      return adopt(tip, newest);
    }
    Uni<Optional<SignedHead>> atTip =
        recordedSeq == tip.seq()
            ? Uni.createFrom().item(newest)
            : database(heads.recordedAt(tip.seq()));
    return atTip.chain(
        recorded -> {
          SignedHead latest = newest.orElseThrow();
          if (recorded.isPresent() && recorded.get().equals(tip.head())) {
            if (!latest.equals(tip.head())) {
              // Redis lags a record that went on: another signer's head landed in between, or
              // Redis was restored from an old snapshot.
              LOG.debugf(
                  "the chain tip in Redis (batch_seq %d) is behind PostgreSQL (batch_seq %d);"
                      + " moving it forward",
                  tip.seq(), latest.seq());
              return moveTo(tip, latest);
            }
            vouchedHead = latest;
            return tip.durable() ? Uni.createFrom().item(Optional.of(tip)) : markDurable(tip);
          }
          if (!tip.durable()) {
            // A pending tip was never recorded, so never released: the record goes on without it.
            LOG.warnf(
                "batch_seq %d is recorded with another head than the pending tip in Redis",
                tip.seq());
            metrics.chainConflict();
            return moveTo(tip, latest);
          }
          return stall(
              recorded.isPresent()
                  ? "PostgreSQL records another head at batch_seq "
                      + tip.seq()
                      + " than the durable chain tip in Redis"
                  : "PostgreSQL has no head at batch_seq "
                      + tip.seq()
                      + " (the durable chain tip in Redis) but has newer ones");
        });
  }

  /**
   * A tip PostgreSQL does not have: recorded here if the VS key signed it and it extends the newest
   * recorded head. Otherwise a pending tip the VS key did not sign (never recorded, so never
   * released) gives way to the newest recorded head, if that is the position it extended; anything
   * else stalls the chain.
   */
  private Uni<Optional<ChainTip>> adopt(ChainTip tip, Optional<SignedHead> newest) {
    long recordedSeq = newest.map(SignedHead::seq).orElse(-1L);
    Hash recordedHash = newest.map(SignedHead::hash).orElse(Hash.ZERO);
    boolean extendsRecord =
        recordedSeq == tip.seq() - 1 && tip.head().head().prevBatchHeadHash().equals(recordedHash);
    return hsm.withKey(key -> tip.head().isSignedBy(key.publicKey()))
        .onFailure()
        .transform(e -> BatchFailure.of(BatchFailure.Reason.HSM, "cannot check the chain tip", e))
        .chain(
            signedByUs -> {
              if (signedByUs && extendsRecord) {
                return recordTip(tip);
              }
              if (!signedByUs
                  && !tip.durable()
                  && newest.isPresent()
                  && recordedSeq >= tip.seq() - 1) {
                // Forged, or signed before a key rotation; never recorded, so never released.
                LOG.warnf(
                    "the pending chain tip (batch_seq %d) is not signed by the current VS key;"
                        + " replaced by the newest recorded head",
                    tip.seq());
                metrics.chainConflict();
                return moveTo(tip, newest.get());
              }
              String which = tip.durable() ? "durable" : "pending";
              if (!signedByUs) {
                return stall(
                    "the "
                        + which
                        + " chain tip in Redis (batch_seq "
                        + tip.seq()
                        + ") is not signed by the current VS key and PostgreSQL does not record it");
              }
              if (recordedSeq < tip.seq() - 1) {
                return stall(
                    "PostgreSQL lacks batch_seq "
                        + (recordedSeq + 1)
                        + ".."
                        + tip.seq()
                        + " up to the "
                        + which
                        + " chain tip in Redis");
              }
              return stall(
                  "the "
                      + which
                      + " chain tip in Redis (batch_seq "
                      + tip.seq()
                      + ") does not extend the head PostgreSQL records at batch_seq "
                      + recordedSeq);
            });
  }

  /**
   * Records {@code tip}, signed by the VS key and extending the newest recorded head, that another
   * signer (or an earlier failed batch) moved to but did not record, or that PostgreSQL lost.
   */
  private Uni<Optional<ChainTip>> recordTip(ChainTip tip) {
    return database(heads.insertIfAbsent(tip.head()))
        .chain(
            recorded -> {
              if (!recorded.equals(Optional.of(tip.hash()))) {
                // PostgreSQL changed since it was read (another signer recorded another head
                // there, say): settle against what it holds now.
                return vouchFor(tip);
              }
              if (tip.durable()) {
                LOG.warnf(
                    "batch_seq %d, the durable chain tip in Redis, was missing in PostgreSQL;"
                        + " recorded it again from Redis",
                    tip.seq());
              }
              vouchedHead = tip.head();
              return tip.durable() ? Uni.createFrom().item(Optional.of(tip)) : markDurable(tip);
            });
  }

  /**
   * The tip from Redis; when Redis has none (restarted without persistence), the newest recorded
   * head, put back as the tip unless another signer was quicker.
   */
  private Uni<Optional<ChainTip>> loadTip() {
    return redis(tips.current())
        .chain(
            current -> {
              if (current.isPresent()) {
                return Uni.createFrom().item(current);
              }
              return database(heads.newest())
                  .chain(
                      newest -> {
                        if (newest.isEmpty()) {
                          return Uni.createFrom().item(Optional.<ChainTip>empty());
                        }
                        LOG.infof(
                            "batch chain tip missing in Redis; rebuilt from batch_seq %d",
                            newest.get().seq());
                        vouchedHead = newest.get();
                        return redis(
                            tips.compareAndSet(Optional.empty(), ChainTip.durable(newest.get())));
                      });
            });
  }

  /** Marks {@code pending}, now known to be recorded, durable. */
  private Uni<Optional<ChainTip>> markDurable(ChainTip pending) {
    return redis(tips.compareAndSet(Optional.of(pending), pending.asDurable()))
        .chain(after -> after.isPresent() ? Uni.createFrom().item(after) : loadTip());
  }

  /**
   * Replaces the tip {@code from} with {@code to}, a head just read from PostgreSQL, never below
   * {@code from}'s position: a durable tip only moves forward, a pending one at most back to the
   * head it extended.
   */
  private Uni<Optional<ChainTip>> moveTo(ChainTip from, SignedHead to) {
    long lowest = from.durable() ? from.seq() : from.seq() - 1;
    if (to.seq() < lowest) {
      return stall(
          "refused to move the chain tip back from batch_seq " + from.seq() + " to " + to.seq());
    }
    vouchedHead = to;
    return redis(tips.compareAndSet(Optional.of(from), ChainTip.durable(to)))
        .chain(after -> after.isPresent() ? Uni.createFrom().item(after) : loadTip());
  }

  /**
   * Fails the batch and keeps failing every batch until an operator reconciles Redis and PostgreSQL
   * (vs-quarkus/README.md, "Batch chain stalled"): the VS cannot tell by itself which heads were
   * released, so it signs nothing rather than risk a second head for one batch_seq.
   */
  private <T> Uni<T> stall(String why) {
    metrics.chainStalled(true);
    if (!why.equals(stalledOn)) {
      stalledOn = why;
      LOG.errorf(
          "BATCH CHAIN STALLED: %s. The VS signs nothing until an operator resolves this"
              + " (vs-quarkus/README.md, \"Batch chain stalled\").",
          why);
    }
    return Uni.createFrom().failure(new BatchFailure(BatchFailure.Reason.CHAIN, why));
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
