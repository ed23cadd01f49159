package dev.mmo.vs.batch;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.trust.SealedBatch;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.VsStatement;
import dev.mmo.vs.audit.AuditLog;
import dev.mmo.vs.config.VsConfig;
import dev.mmo.vs.hsm.HsmSigner;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The VS's {@link StatementSigner}: statements that arrive within one window ({@code
 * mmo.vs.batch.window}, at most {@code mmo.vs.batch.max-size} of them) become the leaves of one
 * Merkle tree whose head the HSM signs once (docs/protocol.md section 6).
 *
 * <p>A batch closes when its first statement has waited a window, when it is full, or as soon as a
 * {@link Revoke} is in it: a revocation must reach the game server and its clients at once, and the
 * statements waiting with it lose nothing by going early. Batches are sealed one at a time, because
 * each head chains to the one before; statements that arrive meanwhile gather for the next batch.
 * At most {@code mmo.vs.batch.queue-capacity} statements wait: beyond that {@link #sign} fails at
 * once, so overload shows up as refusals, not as memory.
 *
 * <p>A statement is released only after its head is signed, verified, chained and its audit record
 * confirmed by the broker ({@link BatchChain}); any failure on the way fails every statement of the
 * batch with {@link SigningUnavailableException}. Results are delivered on the caller's Vert.x
 * context when it had one, so the caller continues where it was (and never on an HSM thread), else
 * on a worker thread. It is created at start-up, so its meters exist before the first statement.
 */
@ApplicationScoped
@Startup
public class BatchSigner implements StatementSigner {
  private static final Logger LOG = Logger.getLogger(BatchSigner.class);

  /**
   * The longest one batch may take from closing to release. A hung Redis or broker call fails its
   * batch instead of stalling every later one; what it left half done, the next batch repairs.
   */
  static final Duration BATCH_DEADLINE = Duration.ofSeconds(10);

  private static final long NO_TIMER = -1;

  private final BatchSettings settings;
  private final BatchChain chain;
  private final Clock clock;
  private final Vertx vertx;
  private final Context context;
  private final BatchMetrics metrics;

  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock:
  private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
  private boolean sealing;
  private boolean revokeWaiting;
  private long windowTimer = NO_TIMER;
  private boolean stopped;
  // Written by the one batch in flight only:
  private volatile boolean failing;

  @Inject
  public BatchSigner(
      VsConfig config,
      HsmSigner hsm,
      ChainTips tips,
      ChainRebuild rebuild,
      AuditLog audit,
      Clock clock,
      MeterRegistry registry,
      Vertx vertx) {
    this(BatchSettings.of(config.batch()), hsm, tips, rebuild, audit, clock, registry, vertx);
  }

  BatchSigner(
      BatchSettings settings,
      HsmSigner hsm,
      ChainTips tips,
      ChainRebuild rebuild,
      AuditLog audit,
      Clock clock,
      MeterRegistry registry,
      Vertx vertx) {
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    this.vertx = requireNonNull(vertx, "vertx");
    // Every batch starts on this context: one event loop, no recursion from one batch's completion
    // into the next, and never the duplicated context of whichever request created this bean.
    this.context = VertxContext.getRootContext(vertx.getOrCreateContext());
    this.metrics = new BatchMetrics(registry, this::queued);
    this.chain = new BatchChain(hsm, tips, rebuild, audit, metrics);
  }

  @Override
  public <S extends VsStatement> Uni<Attested<S>> sign(S statement) {
    requireNonNull(statement, "statement");
    return Uni.createFrom()
        .emitter(
            emitter ->
                enqueue(
                    new Pending<>(
                        statement,
                        Codec.statementBytes(statement),
                        emitter,
                        Vertx.currentContext(),
                        System.nanoTime())));
  }

  /** Fails what still waits; the batch in flight finishes on its own. */
  @PreDestroy
  void stop() {
    List<Pending<?>> abandoned;
    lock.lock();
    try {
      stopped = true;
      cancelWindowTimer();
      abandoned = new ArrayList<>(queue);
      queue.clear();
    } finally {
      lock.unlock();
    }
    refuse(
        abandoned,
        new BatchFailure(BatchFailure.Reason.SHUTDOWN, "the VS is shutting down"),
        false);
  }

  private void enqueue(Pending<?> pending) {
    BatchFailure refusal = null;
    List<Pending<?>> batch = null;
    lock.lock();
    try {
      if (stopped) {
        refusal = new BatchFailure(BatchFailure.Reason.SHUTDOWN, "the VS is shutting down");
      } else if (queue.size() >= settings.queueCapacity()) {
        refusal =
            new BatchFailure(
                BatchFailure.Reason.QUEUE_FULL,
                settings.queueCapacity() + " statements already wait for the HSM");
      } else {
        queue.add(pending);
        revokeWaiting |= pending.urgent();
        if (!sealing) {
          if (queue.size() >= settings.maxSize() || revokeWaiting) {
            batch = closeBatch();
          } else if (windowTimer == NO_TIMER) {
            windowTimer = vertx.setTimer(windowMs(), this::onWindowClosed);
          }
        }
      }
    } finally {
      lock.unlock();
    }
    if (refusal != null) {
      refuse(List.of(pending), refusal, false);
    }
    if (batch != null) {
      startSealing(batch);
    }
  }

  private void onWindowClosed(long timerId) {
    List<Pending<?>> batch = null;
    lock.lock();
    try {
      if (timerId != windowTimer) {
        return;
      }
      windowTimer = NO_TIMER;
      if (!sealing && !queue.isEmpty()) {
        batch = closeBatch();
      }
    } finally {
      lock.unlock();
    }
    if (batch != null) {
      startSealing(batch);
    }
  }

  /** Takes the next batch off the queue; the caller holds the lock. */
  private List<Pending<?>> closeBatch() {
    sealing = true;
    cancelWindowTimer();
    int size = Math.min(queue.size(), settings.maxSize());
    List<Pending<?>> batch = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      batch.add(queue.poll());
    }
    // Only a full batch leaves statements behind; then a Revoke may be among them.
    revokeWaiting = revokeWaiting && queue.stream().anyMatch(Pending::urgent);
    return batch;
  }

  private void cancelWindowTimer() {
    if (windowTimer != NO_TIMER) {
      vertx.cancelTimer(windowTimer);
      windowTimer = NO_TIMER;
    }
  }

  private void startSealing(List<Pending<?>> batch) {
    context.runOnContext(ignored -> seal(batch));
  }

  private void seal(List<Pending<?>> batch) {
    long closedAtMs = clock.millis();
    long start = System.nanoTime();
    List<byte[]> leaves = new ArrayList<>(batch.size());
    for (Pending<?> pending : batch) {
      leaves.add(pending.leaf);
    }
    Uni.createFrom()
        .deferred(() -> chain.seal(leaves, closedAtMs))
        .ifNoItem()
        .after(BATCH_DEADLINE)
        .failWith(
            () ->
                new BatchFailure(
                    BatchFailure.Reason.TIMEOUT,
                    "batch not sealed within " + BATCH_DEADLINE.toMillis() + " ms"))
        .subscribe()
        .with(
            done -> {
              release(batch, done, System.nanoTime() - start);
              afterBatch();
            },
            failure -> {
              refuse(batch, failure, true);
              afterBatch();
            });
  }

  private void release(List<Pending<?>> batch, BatchChain.Sealed done, long sealNanos) {
    metrics.released(batch.size(), done.signatures(), sealNanos);
    if (failing) {
      failing = false;
      LOG.infof("batch signing resumed at batch_seq %d", done.batch().head().batchSeq());
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(done.batch(), i);
    }
  }

  private void refuse(List<Pending<?>> statements, Throwable failure, boolean fromBatch) {
    BatchFailure known =
        failure instanceof BatchFailure f
            ? f
            : new BatchFailure(BatchFailure.Reason.INTERNAL, "batch failed: " + failure, failure);
    metrics.refused(known.reason(), statements.size());
    if (fromBatch && !failing) {
      failing = true;
      LOG.warn("batch signing failed, the VS issues nothing until it recovers", known);
    }
    String message = "the VS cannot back statements now (" + known.reason().tag() + ")";
    for (Pending<?> pending : statements) {
      // One exception per caller: callers may add suppressed exceptions to what they receive.
      pending.fail(new SigningUnavailableException(message, known));
    }
  }

  private void afterBatch() {
    List<Pending<?>> next = null;
    lock.lock();
    try {
      sealing = false;
      if (stopped || queue.isEmpty()) {
        return;
      }
      long waitedNanos = System.nanoTime() - queue.peek().enqueuedNanos;
      long remainingMs = TimeUnit.NANOSECONDS.toMillis(settings.window().toNanos() - waitedNanos);
      if (queue.size() >= settings.maxSize() || remainingMs <= 0 || revokeWaiting) {
        next = closeBatch();
      } else {
        windowTimer = vertx.setTimer(remainingMs, this::onWindowClosed);
      }
    } finally {
      lock.unlock();
    }
    if (next != null) {
      startSealing(next);
    }
  }

  private long windowMs() {
    return Math.max(1, settings.window().toMillis());
  }

  private int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** One caller's statement, waiting for its batch. */
  private static final class Pending<S extends VsStatement> {
    private final S statement;
    private final byte[] leaf;
    private final UniEmitter<? super Attested<S>> emitter;
    private final Context callerContext;
    private final long enqueuedNanos;

    Pending(
        S statement,
        byte[] leaf,
        UniEmitter<? super Attested<S>> emitter,
        Context callerContext,
        long enqueuedNanos) {
      this.statement = statement;
      this.leaf = leaf;
      this.emitter = emitter;
      this.callerContext = callerContext;
      this.enqueuedNanos = enqueuedNanos;
    }

    /** A Revoke: its batch closes at once. */
    boolean urgent() {
      return statement instanceof Revoke;
    }

    void complete(SealedBatch batch, int index) {
      Attested<S> attested = batch.attest(statement, index);
      deliver(() -> emitter.complete(attested));
    }

    void fail(SigningUnavailableException refusal) {
      deliver(() -> emitter.fail(refusal));
    }

    private void deliver(Runnable outcome) {
      if (callerContext != null) {
        callerContext.runOnContext(ignored -> outcome.run());
      } else {
        Infrastructure.getDefaultExecutor().execute(outcome);
      }
    }
  }
}
