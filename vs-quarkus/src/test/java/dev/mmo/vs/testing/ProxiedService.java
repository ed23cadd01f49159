package dev.mmo.vs.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Puts a {@link TcpProxy} between the VS under test and one real service, so a test can take the
 * service away from this VS alone: {@link Postgres} for the datasource, {@link Broker} for
 * RabbitMQ, {@link Redis} for Redis. The proxy starts before the VS and its port replaces the
 * service's in the VS's config.
 */
public abstract class ProxiedService implements QuarkusTestResourceLifecycleManager {
  private TcpProxy proxy;

  /** The proxy of the running test; the class holds it because JUnit and Quarkus share nothing. */
  abstract void publish(TcpProxy proxy);

  abstract String hostKey();

  abstract String portKey();

  abstract String targetHost();

  abstract int targetPort();

  @Override
  public Map<String, String> start() {
    proxy = TcpProxy.start(targetHost(), targetPort());
    publish(proxy);
    return Map.of(hostKey(), "127.0.0.1", portKey(), Integer.toString(proxy.port()));
  }

  @Override
  public void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  private static String env(String name, String fallback) {
    return System.getenv().getOrDefault(name, fallback);
  }

  /** PostgreSQL (both the reactive and the JDBC datasource) through a proxy. */
  public static final class Postgres extends ProxiedService {
    public static volatile TcpProxy proxy;

    @Override
    void publish(TcpProxy p) {
      proxy = p;
    }

    @Override
    String hostKey() {
      return "mmo.db.host";
    }

    @Override
    String portKey() {
      return "mmo.db.port";
    }

    @Override
    String targetHost() {
      return env("MMO_DB_HOST", "127.0.0.1");
    }

    @Override
    int targetPort() {
      return Integer.parseInt(env("MMO_DB_PORT", "5432"));
    }
  }

  /** RabbitMQ (every channel) through a proxy. */
  public static final class Broker extends ProxiedService {
    public static volatile TcpProxy proxy;

    @Override
    void publish(TcpProxy p) {
      proxy = p;
    }

    @Override
    String hostKey() {
      return "rabbitmq-host";
    }

    @Override
    String portKey() {
      return "rabbitmq-port";
    }

    @Override
    String targetHost() {
      return env("MMO_RABBITMQ_HOST", "127.0.0.1");
    }

    @Override
    int targetPort() {
      return Integer.parseInt(env("MMO_RABBITMQ_PORT", "5672"));
    }
  }

  /** Redis through a proxy. */
  public static final class Redis extends ProxiedService {
    public static volatile TcpProxy proxy;

    @Override
    void publish(TcpProxy p) {
      proxy = p;
    }

    @Override
    String hostKey() {
      return "mmo.redis.host";
    }

    @Override
    String portKey() {
      return "mmo.redis.port";
    }

    @Override
    String targetHost() {
      return env("MMO_REDIS_HOST", "127.0.0.1");
    }

    @Override
    int targetPort() {
      return Integer.parseInt(env("MMO_REDIS_PORT", "6379"));
    }
  }
}
