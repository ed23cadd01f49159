package dev.mmo.vs.audit;

import static java.util.Objects.requireNonNull;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Whether the audit channels are connected to the broker, read from the messaging health reports
 * (the same ones readiness shows) every {@code mmo.vs.audit.health-interval}. Until the first
 * report says so, and whenever one does not, records are refused at once instead of waiting for a
 * confirm that cannot come. The incoming channel declares the queue before it reports healthy, so
 * nothing is published to a queue that does not exist yet.
 */
@ApplicationScoped
public class AuditBrokerHealth {
  private static final Logger LOG = Logger.getLogger(AuditBrokerHealth.class);

  /** The channels of application.properties' audit block. */
  static final Set<String> CHANNELS = Set.of("audit-out", "audit-in");

  private final HealthCenter health;
  private final Vertx vertx;
  private final AuditMetrics metrics;
  private final long intervalMs;
  private volatile boolean up;
  private long timer = -1;

  public AuditBrokerHealth(
      HealthCenter health, Vertx vertx, AuditMetrics metrics, AuditConfig config) {
    this.health = requireNonNull(health, "health");
    this.vertx = requireNonNull(vertx, "vertx");
    this.metrics = requireNonNull(metrics, "metrics");
    this.intervalMs = Math.max(1, config.healthInterval().toMillis());
  }

  /**
   * Start-up waits, at most {@link #STARTUP_WAIT}, until the audit channels are connected: the VS
   * signs nothing without them, so a start that returned earlier would only refuse the first
   * statements. A broker that is away longer leaves the VS started and not ready.
   */
  void start(@Observes StartupEvent event) {
    long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
    poll();
    while (!up && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      poll();
    }
    timer = vertx.setPeriodic(intervalMs, intervalMs, id -> poll());
  }

  /** The longest start-up waits for the broker. */
  static final Duration STARTUP_WAIT = Duration.ofSeconds(10);

  @PreDestroy
  void stop() {
    vertx.cancelTimer(timer);
  }

  /** Whether records can be published now, as of the last poll. */
  public boolean isUp() {
    return up;
  }

  private void poll() {
    HealthReport readiness = health.getReadiness();
    int seen = 0;
    boolean ok = true;
    for (HealthReport.ChannelInfo channel : readiness.getChannels()) {
      if (CHANNELS.contains(channel.getChannel())) {
        seen++;
        ok &= channel.isOk();
      }
    }
    boolean nowUp = ok && seen == CHANNELS.size();
    if (nowUp != up) {
      if (nowUp) {
        LOG.info("audit broker reachable: accepting audit records");
      } else {
        LOG.warn("audit broker unreachable: refusing audit records until it returns");
      }
      up = nowUp;
      metrics.brokerUp(nowUp);
    }
  }
}
