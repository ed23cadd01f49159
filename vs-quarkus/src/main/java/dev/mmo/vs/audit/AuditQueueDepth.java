package dev.mmo.vs.audit;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The broker's own view of the audit queues, for alerting: {@code mmo.vs.audit.queue.depth}
 * (records waiting for a writer, across all replicas; it grows while PostgreSQL is down) and {@code
 * mmo.vs.audit.dead.depth} (messages in {@code mmo.audit.dead}, each one needing an operator). Read
 * with a passive queue declare every {@code mmo.vs.audit.health-interval} on a connection of its
 * own; NaN while the broker cannot be asked.
 */
@ApplicationScoped
public class AuditQueueDepth {
  private static final Logger LOG = Logger.getLogger(AuditQueueDepth.class);
  static final String QUEUE = "mmo.audit";
  static final String DEAD_LETTER_QUEUE = "mmo.audit.dead";

  private final Vertx vertx;
  private final RabbitMQOptions options;
  private final long intervalMs;
  private final AtomicReference<Double> depth = new AtomicReference<>(Double.NaN);
  private final AtomicReference<Double> deadDepth = new AtomicReference<>(Double.NaN);
  private RabbitMQClient client;
  private boolean polling;
  private long timer = -1;

  public AuditQueueDepth(
      Vertx vertx,
      MeterRegistry registry,
      AuditConfig config,
      @ConfigProperty(name = "rabbitmq-host") String host,
      @ConfigProperty(name = "rabbitmq-port") int port,
      @ConfigProperty(name = "rabbitmq-username") String user,
      @ConfigProperty(name = "rabbitmq-password") String password,
      @ConfigProperty(name = "rabbitmq-virtual-host") String virtualHost) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.intervalMs = Math.max(1, config.healthInterval().toMillis());
    // No reconnect loop of its own: a poll that finds the connection gone opens a new one.
    this.options =
        new RabbitMQOptions()
            .setHost(host)
            .setPort(port)
            .setUser(user)
            .setPassword(password)
            .setVirtualHost(virtualHost)
            .setReconnectAttempts(0)
            .setConnectionName("mmo-vs-audit-depth");
    Gauge.builder("mmo.vs.audit.queue.depth", depth, AtomicReference::get)
        .description("Audit records waiting on the broker for a writer (all replicas)")
        .register(registry);
    Gauge.builder("mmo.vs.audit.dead.depth", deadDepth, AtomicReference::get)
        .description("Messages in the audit dead-letter queue, each waiting for an operator")
        .register(registry);
  }

  void start(@Observes StartupEvent event) {
    timer = vertx.setPeriodic(intervalMs, id -> poll());
  }

  @PreDestroy
  void stop() {
    vertx.cancelTimer(timer);
    if (client != null) {
      client.stopAndForget();
    }
  }

  /** Messages in the dead-letter queue at the last poll; NaN when unknown. */
  double deadLetters() {
    return deadDepth.get();
  }

  private synchronized void poll() {
    if (polling) {
      LOG.debug("audit queue depth: previous poll still running");
      return;
    }
    polling = true;
    Uni<Void> connected;
    if (client != null && client.isConnected()) {
      connected = Uni.createFrom().voidItem();
    } else {
      if (client != null) {
        client.stopAndForget();
      }
      client = RabbitMQClient.create(vertx, options);
      connected = client.start();
    }
    RabbitMQClient current = client;
    connected
        .chain(() -> current.messageCount(QUEUE))
        .invoke(n -> depth.set(n.doubleValue()))
        .chain(() -> current.messageCount(DEAD_LETTER_QUEUE))
        .invoke(n -> deadDepth.set(n.doubleValue()))
        // A poll that hangs (a half-open connection) must not stop every later one.
        .ifNoItem()
        .after(Duration.ofMillis(Math.max(1000, 5 * intervalMs)))
        .fail()
        .subscribe()
        .with(n -> done(), failure -> failed(current, failure));
  }

  private synchronized void done() {
    LOG.debugf("audit queue depth %s, dead letters %s", depth.get(), deadDepth.get());
    polling = false;
  }

  private synchronized void failed(RabbitMQClient failedClient, Throwable failure) {
    LOG.debugf("audit queue depth unknown: %s", failure.toString());
    depth.set(Double.NaN);
    deadDepth.set(Double.NaN);
    // A failed passive declare closes the channel: start afresh next time.
    failedClient.stopAndForget();
    if (client == failedClient) {
      client = null;
    }
    polling = false;
  }
}
