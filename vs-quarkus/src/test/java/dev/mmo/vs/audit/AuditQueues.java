package dev.mmo.vs.audit;

import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A plain RabbitMQ client on the test vhost, beside the VS's own: publishes raw bodies to the audit
 * exchange (as a foreign or broken publisher would) and reads the dead-letter queue.
 */
final class AuditQueues implements AutoCloseable {
  static final String EXCHANGE = "mmo.audit";
  static final String ROUTING_KEY = "mmo.audit";
  static final String DEAD_LETTERS = "mmo.audit.dead";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final RabbitMQClient client;

  private AuditQueues(RabbitMQClient client) {
    this.client = client;
  }

  /** Connects with the broker settings of the VS under test (always the real broker's port). */
  static AuditQueues connect(Vertx vertx, int port) {
    Config config = ConfigProvider.getConfig();
    RabbitMQOptions options =
        new RabbitMQOptions()
            .setHost(config.getValue("rabbitmq-host", String.class))
            .setPort(port)
            .setUser(config.getValue("rabbitmq-username", String.class))
            .setPassword(config.getValue("rabbitmq-password", String.class))
            .setVirtualHost(config.getValue("rabbitmq-virtual-host", String.class));
    RabbitMQClient client = RabbitMQClient.create(vertx, options);
    client.start().await().atMost(WAIT);
    client.confirmSelect().await().atMost(WAIT);
    return new AuditQueues(client);
  }

  /** Publishes {@code body} as a persistent message to the audit queue. */
  void publishRaw(byte[] body) {
    client
        .basicPublish(
            EXCHANGE,
            ROUTING_KEY,
            new com.rabbitmq.client.AMQP.BasicProperties.Builder().deliveryMode(2).build(),
            io.vertx.mutiny.core.buffer.Buffer.newInstance(Buffer.buffer(body)))
        .await()
        .atMost(WAIT);
    client.waitForConfirms(WAIT.toMillis()).await().atMost(WAIT);
  }

  /** A message taken from the dead-letter queue. */
  record DeadLetter(byte[] body, Integer deliveryMode) {}

  /** Takes every message now on the dead-letter queue (acking them). */
  List<DeadLetter> drainDeadLetters() {
    List<DeadLetter> taken = new ArrayList<>();
    while (true) {
      var message = client.basicGet(DEAD_LETTERS, true).await().atMost(WAIT);
      if (message == null) {
        return taken;
      }
      taken.add(new DeadLetter(message.body().getBytes(), message.properties().getDeliveryMode()));
    }
  }

  @Override
  public void close() {
    client.stop().await().atMost(WAIT);
  }
}
