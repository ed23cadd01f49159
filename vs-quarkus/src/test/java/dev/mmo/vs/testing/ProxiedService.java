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
  private final String hostKey;
  private final String portKey;
  private final String targetHost;
  private final int targetPort;
  private TcpProxy proxy;

  /**
   * @param hostKey, portKey the VS's config keys for the service's address
   * @param hostEnv, portEnv the environment variables that name the real service, as for the VS
   */
  ProxiedService(String hostKey, String portKey, String hostEnv, String portEnv, int defaultPort) {
    this.hostKey = hostKey;
    this.portKey = portKey;
    this.targetHost = System.getenv().getOrDefault(hostEnv, "127.0.0.1");
    this.targetPort =
        Integer.parseInt(System.getenv().getOrDefault(portEnv, Integer.toString(defaultPort)));
  }

  /** The proxy of the running test; the class holds it because JUnit and Quarkus share nothing. */
  abstract void publish(TcpProxy proxy);

  @Override
  public Map<String, String> start() {
    proxy = TcpProxy.start(targetHost, targetPort);
    publish(proxy);
    return Map.of(hostKey, "127.0.0.1", portKey, Integer.toString(proxy.port()));
  }

  @Override
  public void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  /** PostgreSQL (both the reactive and the JDBC datasource) through a proxy. */
  public static final class Postgres extends ProxiedService {
    public static volatile TcpProxy proxy;

    public Postgres() {
      super("mmo.db.host", "mmo.db.port", "MMO_DB_HOST", "MMO_DB_PORT", 5432);
    }

    @Override
    void publish(TcpProxy p) {
      proxy = p;
    }
  }

  /** RabbitMQ (every channel) through a proxy. */
  public static final class Broker extends ProxiedService {
    public static volatile TcpProxy proxy;

    public Broker() {
      super("rabbitmq-host", "rabbitmq-port", "MMO_RABBITMQ_HOST", "MMO_RABBITMQ_PORT", 5672);
    }

    @Override
    void publish(TcpProxy p) {
      proxy = p;
    }
  }

  /** Redis through a proxy. */
  public static final class Redis extends ProxiedService {
    public static volatile TcpProxy proxy;

    public Redis() {
      super("mmo.redis.host", "mmo.redis.port", "MMO_REDIS_HOST", "MMO_REDIS_PORT", 6379);
    }

    @Override
    void publish(TcpProxy p) {
      proxy = p;
    }
  }
}
