package dev.mmo.vs.audit;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.vs.audit.AuditMetrics.PublishFailure;
import dev.mmo.vs.batch.SignedHead;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
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
 */
@ApplicationScoped
public class BrokerAuditLog implements AuditLog {
  /** Makes the broker write the message to disk (AMQP 0-9-1 delivery mode 2). */
  private static final int PERSISTENT = 2;

  private final Emitter<byte[]> emitter;
  private final AuditBrokerHealth broker;
  private final AuditMetrics metrics;
  private final Clock clock;
  private final Duration confirmTimeout;
  private final int maxUnconfirmed;

  public BrokerAuditLog(
      // The bound on memory is max-unconfirmed, checked below, not the emitter's own buffer.
      @Channel("audit-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
          Emitter<byte[]> emitter,
      AuditBrokerHealth broker,
      AuditMetrics metrics,
      Clock clock,
      AuditConfig config) {
    this.emitter = requireNonNull(emitter, "emitter");
    this.broker = requireNonNull(broker, "broker");
    this.metrics = requireNonNull(metrics, "metrics");
    this.clock = requireNonNull(clock, "clock");
    this.confirmTimeout = config.confirmTimeout();
    this.maxUnconfirmed = config.maxUnconfirmed();
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
              CompletableFuture<Void> confirmed = send(record);
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

  /** Hands the record to the connector; the future completes on the broker's confirm. */
  private CompletableFuture<Void> send(AuditRecord record) {
    var now = clock.instant();
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    // Whichever of ack and nack comes first settles the record; the counter drops exactly once.
    AtomicBoolean settled = new AtomicBoolean();
    OutgoingRabbitMQMetadata metadata =
        OutgoingRabbitMQMetadata.builder()
            .withDeliveryMode(PERSISTENT)
            .withContentType("application/json")
            .withTimestamp(now.atZone(ZoneOffset.UTC))
            .build();
    Message<byte[]> message =
        Message.of(
            AuditEnvelope.seal(record, now),
            Metadata.of(metadata),
            () -> {
              if (settled.compareAndSet(false, true)) {
                metrics.unconfirmed().decrementAndGet();
              }
              confirmed.complete(null);
              return CompletableFuture.completedFuture(null);
            },
            failure -> {
              if (settled.compareAndSet(false, true)) {
                metrics.unconfirmed().decrementAndGet();
              }
              confirmed.completeExceptionally(failure);
              return CompletableFuture.completedFuture(null);
            });
    try {
      emitter.send(message);
    } catch (RuntimeException e) {
      // The channel is cancelled or not wired (start-up, shut-down): nothing was handed over.
      if (settled.compareAndSet(false, true)) {
        metrics.unconfirmed().decrementAndGet();
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
