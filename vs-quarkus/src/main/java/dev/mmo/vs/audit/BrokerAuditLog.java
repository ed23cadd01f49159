package dev.mmo.vs.audit;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.vs.audit.AuditMetrics.PublishFailure;
import dev.mmo.vs.batch.SignedHead;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The audit trail through RabbitMQ: every record becomes one persistent message on the durable
 * queue {@code mmo.audit} (channel {@code audit-out}, publisher confirms on), and is durable once
 * the broker confirmed it; {@link AuditWriter} later writes it to PostgreSQL. PostgreSQL being down
 * therefore stops nothing: receipts and revocations go on while the queue absorbs the backlog.
 *
 * <p>Fails fast rather than waits: while the broker is unreachable ({@link AuditBrokerHealth}),
 * when {@code mmo.vs.audit.max-unconfirmed} records already await a confirm, or when no confirm
 * came within {@code mmo.vs.audit.confirm-timeout}, the returned Uni fails with {@link
 * AuditUnavailableException}. A record refused after it was handed to the connector (timeout) may
 * still reach the queue and be written later; records are idempotent, so at worst the trail holds a
 * receipt that was never released, never the other way round.
 *
 * <p>Receipts travel in groups: a batch releases its receipts together, and one message with one
 * confirm for all of them costs the broker, the connector and the writer a fraction of one message
 * each. The first receipt of a group waits at most {@code mmo.vs.audit.group-linger} for others; a
 * group is sent at once when it holds {@code mmo.vs.audit.group-max-records} receipts or about
 * {@link #GROUP_MAX_BYTES} of body. Each receipt's Uni completes on the group's confirm and fails
 * with it. With {@code group-max-records} 1 every receipt goes alone as a {@code receipt} envelope,
 * which a writer of an earlier version also reads (a rolling upgrade: vs-quarkus/README.md). Heads,
 * revocations and fences always go alone.
 */
@ApplicationScoped
public class BrokerAuditLog implements AuditLog {
  /** Makes the broker write the message to disk (AMQP 0-9-1 delivery mode 2). */
  private static final int PERSISTENT = 2;

  /** A group is sent once its body would grow past this: half what a writer accepts. */
  static final int GROUP_MAX_BYTES = AuditEnvelope.MAX_BYTES / 2;

  private final Emitter<byte[]> emitter;
  private final AuditBrokerHealth broker;
  private final AuditMetrics metrics;
  private final Clock clock;
  private final Duration confirmTimeout;
  private final int maxUnconfirmed;
  private final Vertx vertx;
  private final int groupMaxRecords;
  private final long groupLingerMs;

  /** The receipts waiting to be sent together; guarded by {@code this}. */
  private List<Grouped> group = new ArrayList<>();

  /** The estimated body size of {@link #group}; guarded by {@code this}. */
  private int groupBytes;

  /** The timer that sends {@link #group} when its linger ends, or -1; guarded by {@code this}. */
  private long lingerTimer = -1;

  /** A receipt in a group, and the future its publisher waits on. */
  private record Grouped(AuditEnvelope.ReceiptFrames frames, CompletableFuture<Void> confirmed) {}

  public BrokerAuditLog(
      // The bound on memory is max-unconfirmed, checked below, not the emitter's own buffer.
      @Channel("audit-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
          Emitter<byte[]> emitter,
      AuditBrokerHealth broker,
      AuditMetrics metrics,
      Clock clock,
      Vertx vertx,
      AuditConfig config) {
    this.emitter = requireNonNull(emitter, "emitter");
    this.broker = requireNonNull(broker, "broker");
    this.metrics = requireNonNull(metrics, "metrics");
    this.clock = requireNonNull(clock, "clock");
    this.confirmTimeout = config.confirmTimeout();
    this.maxUnconfirmed = config.maxUnconfirmed();
    this.vertx = requireNonNull(vertx, "vertx");
    this.groupMaxRecords = config.groupMaxRecords();
    this.groupLingerMs = Math.max(1, config.groupLinger().toMillis());
  }

  @Override
  public Uni<Void> receipt(Attested<ProtectedReceipt> receipt, byte[] digestFrame) {
    return publish(new ReceiptRecord(receipt, Bytes.copyOf(digestFrame)));
  }

  @Override
  public Uni<Void> revocation(RevocationRecord record) {
    return publish(record);
  }

  @Override
  public Uni<Void> head(SignedHead head, long epoch) {
    return publish(new HeadRecord(head, epoch));
  }

  @Override
  public Uni<Void> fence(UUID id) {
    return publish(new FenceRecord(id));
  }

  private Uni<Void> publish(AuditRecord record) {
    return Uni.createFrom()
        .deferred(
            () -> {
              if (!broker.isUp()) {
                return refuse(PublishFailure.BROKER_DOWN, "the audit broker is unreachable");
              }
              AtomicInteger unconfirmed = metrics.unconfirmed();
              if (unconfirmed.incrementAndGet() > maxUnconfirmed) {
                unconfirmed.decrementAndGet();
                return refuse(
                    PublishFailure.BACKLOG,
                    maxUnconfirmed + " audit records already await a broker confirm");
              }
              CompletableFuture<Void> confirmed =
                  record instanceof ReceiptRecord receipt && groupMaxRecords > 1
                      ? group(receipt)
                      : send(record);
              return Uni.createFrom()
                  .completionStage(confirmed)
                  .ifNoItem()
                  .after(confirmTimeout)
                  .failWith(TimeoutException::new)
                  .onItem()
                  .invoke(metrics::published)
                  .onFailure()
                  .transform(this::refused);
            });
  }

  /**
   * Adds a receipt to the group, which is sent when full or when its linger ends; the future
   * completes on the group's confirm.
   */
  private CompletableFuture<Void> group(ReceiptRecord receipt) {
    Grouped grouped =
        new Grouped(AuditEnvelope.ReceiptFrames.of(receipt), new CompletableFuture<>());
    int size = grouped.frames().sealedBytes();
    List<Grouped> full = null;
    synchronized (this) {
      if (!group.isEmpty() && groupBytes + size > GROUP_MAX_BYTES) {
        full = takeGroup(); // this receipt starts the next group
      }
      group.add(grouped);
      groupBytes += size;
      // A group that just started holds one receipt, fewer than the most (at least 2 here).
      if (group.size() >= groupMaxRecords) {
        full = takeGroup();
      } else if (lingerTimer == -1) {
        lingerTimer = vertx.setTimer(groupLingerMs, this::lingerOver);
      }
    }
    if (full != null) {
      sendGroup(full);
    }
    return grouped.confirmed();
  }

  private void lingerOver(long timer) {
    List<Grouped> due;
    synchronized (this) {
      if (timer != lingerTimer) {
        return; // the group it was set for went out full
      }
      lingerTimer = -1;
      due = takeGroup();
    }
    if (!due.isEmpty()) {
      sendGroup(due);
    }
  }

  /** Takes the waiting group and cancels its linger; the caller sends it outside the lock. */
  private List<Grouped> takeGroup() {
    List<Grouped> taken = group;
    group = new ArrayList<>();
    groupBytes = 0;
    if (lingerTimer != -1) {
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
    return taken;
  }

  /** Sends a group as one message; every receipt's future settles with its confirm. */
  private void sendGroup(List<Grouped> receipts) {
    List<AuditEnvelope.ReceiptFrames> frames = new ArrayList<>(receipts.size());
    for (Grouped g : receipts) {
      frames.add(g.frames());
    }
    var now = clock.instant();
    byte[] body;
    try {
      body = AuditEnvelope.sealReceipts(frames, now);
    } catch (RuntimeException e) {
      // Nothing was handed over: refuse the whole group now rather than at its confirm timeout.
      metrics.unconfirmed().addAndGet(-receipts.size());
      receipts.forEach(g -> g.confirmed().completeExceptionally(e));
      return;
    }
    send(body, now, receipts.size())
        .whenComplete(
            (ok, failure) -> {
              for (Grouped g : receipts) {
                if (failure == null) {
                  g.confirmed().complete(null);
                } else {
                  g.confirmed().completeExceptionally(failure);
                }
              }
            });
  }

  /** Hands the record to the connector; the future completes on the broker's confirm. */
  private CompletableFuture<Void> send(AuditRecord record) {
    var now = clock.instant();
    return send(AuditEnvelope.seal(record, now), now, 1);
  }

  /**
   * Hands a body of {@code records} records to the connector; the future completes on the broker's
   * confirm, and the unconfirmed count drops by {@code records} exactly once.
   */
  private CompletableFuture<Void> send(byte[] body, Instant now, int records) {
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    // Whichever of ack and nack comes first settles the body; the counter drops exactly once.
    AtomicBoolean settled = new AtomicBoolean();
    OutgoingRabbitMQMetadata metadata =
        OutgoingRabbitMQMetadata.builder()
            .withDeliveryMode(PERSISTENT)
            .withContentType("application/json")
            .withTimestamp(now.atZone(ZoneOffset.UTC))
            .build();
    Message<byte[]> message =
        Message.of(
            body,
            Metadata.of(metadata),
            () -> {
              if (settled.compareAndSet(false, true)) {
                metrics.unconfirmed().addAndGet(-records);
              }
              confirmed.complete(null);
              return CompletableFuture.completedFuture(null);
            },
            failure -> {
              if (settled.compareAndSet(false, true)) {
                metrics.unconfirmed().addAndGet(-records);
              }
              confirmed.completeExceptionally(failure);
              return CompletableFuture.completedFuture(null);
            });
    try {
      emitter.send(message);
    } catch (RuntimeException e) {
      // The channel is cancelled or not wired (start-up, shut-down): nothing was handed over.
      if (settled.compareAndSet(false, true)) {
        metrics.unconfirmed().addAndGet(-records);
      }
      confirmed.completeExceptionally(e);
    }
    return confirmed;
  }

  private Throwable refused(Throwable failure) {
    if (failure instanceof TimeoutException) {
      metrics.publishFailed(PublishFailure.TIMEOUT);
      return new AuditUnavailableException(
          "the audit broker did not confirm within " + confirmTimeout, failure);
    }
    metrics.publishFailed(PublishFailure.NACKED);
    return new AuditUnavailableException("the audit broker refused the record", failure);
  }

  private Uni<Void> refuse(PublishFailure reason, String why) {
    metrics.publishFailed(reason);
    return Uni.createFrom().failure(new AuditUnavailableException(why));
  }
}
