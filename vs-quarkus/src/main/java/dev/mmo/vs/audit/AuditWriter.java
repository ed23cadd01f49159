package dev.mmo.vs.audit;

import static java.util.Objects.requireNonNull;

import dev.mmo.vs.audit.AuditMetrics.DeadLetter;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes the audit queue (channel {@code audit-in}) and writes it to PostgreSQL in batches: at
 * most {@code mmo.vs.audit.batch-size} records, or what arrived within {@code
 * mmo.vs.audit.batch-window}, in one transaction; every message of a batch is acknowledged only
 * after that transaction committed. A crash before the ack makes the broker deliver the messages
 * again, to this or another replica, and the idempotent writes keep each record once.
 *
 * <p>While PostgreSQL fails, the batch is held and written again with exponential backoff (up to
 * {@code mmo.vs.audit.retry-max-backoff}); nothing is acked or requeued meanwhile, and the broker
 * delivers no more than the consumer prefetch ({@code max-outstanding-messages}) unacked messages,
 * which bounds what this replica holds in memory. The rest waits on the durable queue.
 *
 * <p>A message that is not a valid envelope, or one with a record PostgreSQL refuses for good (a
 * constraint or data error; found by writing the failed batch's records one at a time), is rejected
 * without requeue, which the queue's dead-letter exchange routes to {@code mmo.audit.dead}: never
 * dropped, never blocking the records behind it. A group of receipts (one message) is settled when
 * all its records are: the records PostgreSQL takes are written, and the message is dead-lettered
 * whole if it refused any; written again from there, the others are kept once.
 *
 * <p>One batch is written at a time. All state is guarded by {@code this}; the callbacks come from
 * the connector's and the SQL client's event loops and from timers.
 */
@ApplicationScoped
public class AuditWriter {
  private static final Logger LOG = Logger.getLogger(AuditWriter.class);

  private final AuditStore store;
  private final AuditMetrics metrics;
  private final Vertx vertx;
  private final Clock clock;
  private final int batchSize;
  private final long windowMs;
  private final long initialBackoffMs;
  private final long maxBackoffMs;
  private final Duration writeTimeout;

  /** Decoded deliveries not yet in a batch. */
  private final ArrayDeque<Delivery> waiting = new ArrayDeque<>();

  /** The batch being written or held for a retry; null when none is. */
  private List<Delivery> writing;

  /** Failed attempts at the current batch. */
  private int attempts;

  /** Deliveries still to write one per batch, to find the ones PostgreSQL refuses for good. */
  private int singlesLeft;

  private long windowTimer = -1;

  /** A record delivered by the broker, with the message it came in. */
  private record Delivery(AuditRecord record, Instant createdAt, Settlement message) {}

  /**
   * A delivered message, settled once every record it holds is: acked when all were committed,
   * rejected (dead-lettered whole) when PostgreSQL refused any of them for good, after the others
   * were written. A group's records may be written in different batches. Guarded by the writer's
   * lock, like the rest of its state.
   */
  private static final class Settlement {
    private final Message<?> message;
    private int unsettled;
    private Throwable refused;

    Settlement(Message<?> message, int records) {
      this.message = message;
      this.unsettled = records;
    }

    /** One of its records was committed; true when that settled the message as rejected. */
    boolean ack() {
      return settleOne(null);
    }

    /** One of its records was refused for good; true when that settled the message. */
    boolean nack(Throwable failure) {
      return settleOne(failure);
    }

    private boolean settleOne(Throwable failure) {
      if (failure != null && refused == null) {
        refused = failure;
      }
      if (--unsettled > 0) {
        return false;
      }
      if (refused == null) {
        message.ack();
        return false;
      }
      message.nack(refused);
      return true;
    }
  }

  public AuditWriter(
      AuditStore store, AuditMetrics metrics, Vertx vertx, Clock clock, AuditConfig config) {
    this.store = requireNonNull(store, "store");
    this.metrics = requireNonNull(metrics, "metrics");
    this.vertx = requireNonNull(vertx, "vertx");
    this.clock = requireNonNull(clock, "clock");
    this.batchSize = config.batchSize();
    this.windowMs = Math.max(1, config.batchWindow().toMillis());
    this.initialBackoffMs = Math.max(1, config.retryInitialBackoff().toMillis());
    this.maxBackoffMs = Math.max(initialBackoffMs, config.retryMaxBackoff().toMillis());
    this.writeTimeout = config.writeTimeout();
  }

  /**
   * Takes one delivery. Returns at once so the connector hands over the next one; the message is
   * acked or rejected later, by this writer (manual acknowledgement).
   */
  @Incoming("audit-in")
  public CompletionStage<Void> deliver(Message<byte[]> message) {
    AuditEnvelope.Opened opened;
    try {
      opened = AuditEnvelope.open(message.getPayload());
    } catch (MalformedAuditRecordException e) {
      LOG.errorf("audit message is not a valid record, dead-lettered: %s", e.getMessage());
      metrics.deadLettered(DeadLetter.MALFORMED);
      return message.nack(e);
    }
    synchronized (this) {
      Settlement settlement = new Settlement(message, opened.records().size());
      for (AuditRecord record : opened.records()) {
        waiting.add(new Delivery(record, opened.createdAt(), settlement));
      }
      metrics.held(opened.records().size());
      next();
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Starts the next batch if none is being written and one is due; else waits for the window. */
  private synchronized void next() {
    if (writing != null || waiting.isEmpty()) {
      return;
    }
    if (singlesLeft > 0 || waiting.size() >= batchSize) {
      startNext();
    } else if (windowTimer == -1) {
      windowTimer = vertx.setTimer(windowMs, id -> windowClosed());
    }
  }

  private synchronized void windowClosed() {
    windowTimer = -1;
    if (writing == null && !waiting.isEmpty()) {
      // A partial batch: write what the window gathered.
      startNext();
    }
  }

  private void startNext() {
    if (singlesLeft > 0) {
      singlesLeft--;
      start(1);
    } else {
      start(batchSize);
    }
  }

  /** Takes up to {@code size} waiting deliveries as the batch to write. */
  private void start(int size) {
    List<Delivery> batch = new ArrayList<>(Math.min(size, waiting.size()));
    while (batch.size() < size && !waiting.isEmpty()) {
      batch.add(waiting.poll());
    }
    writing = batch;
    attempts = 0;
    write(batch);
  }

  private void write(List<Delivery> batch) {
    List<AuditRecord> records = new ArrayList<>(batch.size());
    for (Delivery d : batch) {
      records.add(d.record());
    }
    LOG.debugf("writing an audit batch of %d (%d waiting)", batch.size(), waiting.size());
    store
        .write(records)
        .ifNoItem()
        .after(writeTimeout)
        .fail()
        .subscribe()
        .with(ok -> committed(batch), e -> failed(batch, e));
  }

  private synchronized void committed(List<Delivery> batch) {
    Instant oldest = batch.get(0).createdAt();
    for (Delivery d : batch) {
      if (d.createdAt().isBefore(oldest)) {
        oldest = d.createdAt();
      }
      if (d.message().ack()) {
        // The last record of a group one of whose records was refused: the group goes now.
        metrics.deadLettered(DeadLetter.REFUSED);
      }
    }
    if (attempts > 0) {
      LOG.infof("audit batch written after %d failed attempts; PostgreSQL is back", attempts);
    }
    metrics.held(-batch.size());
    metrics.written(batch.size(), Math.max(0, clock.millis() - oldest.toEpochMilli()));
    writing = null;
    next();
  }

  private synchronized void failed(List<Delivery> batch, Throwable failure) {
    metrics.writeFailed();
    if (AuditStore.isPermanent(failure)) {
      if (batch.size() > 1) {
        // Some record of the batch can never be written: write them one at a time to find it.
        LOG.warnf(
            "PostgreSQL refused an audit batch of %d (%s); writing its records one by one",
            batch.size(), failure.getMessage());
        for (int i = batch.size() - 1; i >= 0; i--) {
          waiting.addFirst(batch.get(i));
        }
        singlesLeft += batch.size();
      } else {
        Delivery refused = batch.get(0);
        LOG.errorf(
            "PostgreSQL refuses an audit record for good; its message is dead-lettered once the"
                + " rest of it is written: %s",
            failure.getMessage());
        metrics.held(-1);
        if (refused.message().nack(failure)) {
          metrics.deadLettered(DeadLetter.REFUSED);
        }
      }
      writing = null;
      next();
      return;
    }
    attempts++;
    long backoff = Math.min(maxBackoffMs, initialBackoffMs << Math.min(attempts - 1, 20));
    if (attempts == 1) {
      LOG.warnf(
          "audit batch of %d not written (%s); holding it and retrying with backoff",
          batch.size(), failure.getMessage());
    } else {
      LOG.debugf("audit batch still not written after %d attempts: %s", attempts, failure);
    }
    vertx.setTimer(backoff, id -> write(batch));
  }
}
