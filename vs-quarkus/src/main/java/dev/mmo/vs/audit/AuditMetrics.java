package dev.mmo.vs.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit pipeline's meters. The publishing side counts records confirmed by the broker and
 * records refused (by reason); the writing side counts records and batches committed, failed
 * attempts and dead-lettered messages, and shows what it holds unacknowledged ({@code
 * mmo.vs.audit.held}, its view of the queue: at most the consumer prefetch) and how far behind the
 * trail is ({@code mmo.vs.audit.lag}: at the last commit, the commit time minus the creation time
 * of the oldest record in that batch).
 */
@ApplicationScoped
public class AuditMetrics {
  /** Why a record was not confirmed by the broker. */
  public enum PublishFailure {
    /** The broker was unreachable: refused at once. */
    BROKER_DOWN,
    /** Too many records already awaited a confirm: refused at once. */
    BACKLOG,
    /** The broker answered with a negative confirm, or the channel failed. */
    NACKED,
    /** No confirm within the confirm timeout. */
    TIMEOUT;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Why a delivered message went to the dead-letter queue. */
  public enum DeadLetter {
    /** The body is not a valid envelope. */
    MALFORMED,
    /** PostgreSQL refuses the record for good (a constraint or data error). */
    REFUSED;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Counter published;
  private final Map<PublishFailure, Counter> publishFailures = new EnumMap<>(PublishFailure.class);
  private final Counter written;
  private final Counter batches;
  private final Counter writeFailures;
  private final Map<DeadLetter, Counter> deadLettered = new EnumMap<>(DeadLetter.class);
  private final AtomicInteger unconfirmed = new AtomicInteger();
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicLong lagMs = new AtomicLong();
  private final AtomicInteger brokerUp = new AtomicInteger();

  public AuditMetrics(MeterRegistry registry) {
    published =
        Counter.builder("mmo.vs.audit.published")
            .description("Audit records the broker confirmed")
            .register(registry);
    for (PublishFailure reason : PublishFailure.values()) {
      publishFailures.put(
          reason,
          Counter.builder("mmo.vs.audit.publish.failures")
              .description("Audit records not confirmed by the broker, by reason")
              .tag("reason", reason.tag())
              .register(registry));
    }
    written =
        Counter.builder("mmo.vs.audit.written")
            .description("Audit records committed to PostgreSQL (duplicates included)")
            .register(registry);
    batches =
        Counter.builder("mmo.vs.audit.batches")
            .description("Audit batches committed to PostgreSQL")
            .register(registry);
    writeFailures =
        Counter.builder("mmo.vs.audit.write.failures")
            .description("Attempts to write an audit batch that PostgreSQL failed")
            .register(registry);
    for (DeadLetter reason : DeadLetter.values()) {
      deadLettered.put(
          reason,
          Counter.builder("mmo.vs.audit.dead.lettered")
              .description("Audit messages sent to the dead-letter queue, by reason")
              .tag("reason", reason.tag())
              .register(registry));
    }
    Gauge.builder("mmo.vs.audit.unconfirmed", unconfirmed, AtomicInteger::get)
        .description("Audit records published and not yet confirmed by the broker")
        .register(registry);
    Gauge.builder("mmo.vs.audit.held", held, AtomicInteger::get)
        .description("Audit records delivered to this replica and not yet committed and acked")
        .register(registry);
    Gauge.builder("mmo.vs.audit.lag", lagMs, AtomicLong::get)
        .description(
            "At the last commit: commit time minus the creation time of the batch's oldest record")
        .baseUnit("milliseconds")
        .register(registry);
    Gauge.builder("mmo.vs.audit.broker.up", brokerUp, AtomicInteger::get)
        .description("1 while the audit channels to the broker are healthy and records accepted")
        .register(registry);
  }

  void published() {
    published.increment();
  }

  void publishFailed(PublishFailure reason) {
    publishFailures.get(reason).increment();
  }

  AtomicInteger unconfirmed() {
    return unconfirmed;
  }

  /** Records this replica holds unacknowledged now. */
  int held() {
    return held.get();
  }

  void held(int delta) {
    held.addAndGet(delta);
  }

  void written(int records, long lagMillis) {
    written.increment(records);
    batches.increment();
    lagMs.set(lagMillis);
  }

  void writeFailed() {
    writeFailures.increment();
  }

  void deadLettered(DeadLetter reason) {
    deadLettered.get(reason).increment();
  }

  void brokerUp(boolean up) {
    brokerUp.set(up ? 1 : 0);
  }
}
