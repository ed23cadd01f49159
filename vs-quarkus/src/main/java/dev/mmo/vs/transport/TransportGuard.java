package dev.mmo.vs.transport;

import dev.mmo.protocol.Limits;
import dev.mmo.transport.AcceptGuard;
import dev.mmo.transport.GuardListener;
import dev.mmo.transport.GuardSettings;
import dev.mmo.transport.GuardSettings.PlainHttp;
import dev.mmo.transport.SourceLimits;
import dev.mmo.vs.config.VsConfig;
import dev.mmo.vs.gs.GsRejections;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.value.registry.ValueRegistry;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The transport rules of docs/protocol.md section 1.1 on the VS's HTTP ports: no WebSocket
 * extension (so nothing is ever inflated), no HTTP/2 over cleartext, messages of at most 65,536
 * bytes, a Close answered or the TCP connection closed within a second, and an {@link AcceptGuard}
 * on every listening channel: connections counted at the accept (in all, within {@link
 * ConnectionBudgets}, and per source), a {@link dev.mmo.transport.ConnectionGuard} on every
 * connection with its clock started at the accept (an upgrade answered, every request answered,
 * within its timeout), and every bare refusal of the HTTP layer a problem document ({@link
 * ProblemRefusals}).
 *
 * <p>Quarkus offers no hook per accepted connection, so the guard goes on each listening channel
 * once the server listens; the channel is read from Vert.x's shared-server registry (a private
 * field, checked by the tests against the pinned Vert.x). Until it is on, readiness ("transport")
 * is DOWN, so no traffic is routed to an unguarded port; a VS that has not guarded a port {@value
 * #GUARD_WITHIN_MS} ms after start-up, or cannot, stops rather than serve unguarded. TLS ends in
 * front of the VS (an ingress): the guard reads cleartext, so a VS configured for HTTPS refuses to
 * start.
 */
@ApplicationScoped
public class TransportGuard implements HttpServerOptionsCustomizer {
  private static final Logger LOG = Logger.getLogger(TransportGuard.class);
  static final long GUARD_WITHIN_MS = 10_000;
  private static final long RETRY_MS = 50;

  private final Vertx vertx;
  private final ValueRegistry runtime;
  private final VsConfig.Http config;
  private final int maxTrackedSources;
  private final int configuredManagementPort;
  private final ConnectionBudgets budgets;
  private final GuardSettings settings;
  private final Map<Port, GuardListener> listeners = new java.util.EnumMap<>(Port.class);
  private final Map<Port, AcceptGuard> guards = new ConcurrentHashMap<>();

  public TransportGuard(
      Vertx vertx,
      ValueRegistry runtime,
      VsConfig config,
      GsRejections rejections,
      MeterRegistry meters) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.config = config.http();
    this.maxTrackedSources = config.gs().maxTrackedSources();
    this.configuredManagementPort =
        LaunchMode.current() == LaunchMode.TEST
            ? -1
            : ConfigProvider.getConfig()
                .getOptionalValue("quarkus.management.port", Integer.class)
                .orElse(-1);
    this.budgets = ConnectionBudgets.of(this.config, ConnectionBudgets.processDescriptorLimit());
    this.settings =
        GuardSettings.plainHttp(
            this.config.upgradeTimeout(),
            new PlainHttp(this.config.requestTimeout(), new ProblemRefusals()));
    for (Port port : Port.values()) {
      listeners.put(port, new PortListener(port, rejections, meters));
      Gauge.builder("mmo.vs.http.connections.open", guards, g -> open(g.get(port)))
          .description("connections open on an HTTP port (counted from the accept)")
          .tag("port", port.tag())
          .register(meters);
    }
    Gauge.builder("mmo.vs.http.connections.max", budgets, ConnectionBudgets::main)
        .description("connections the port holds open at once; more are closed at the accept")
        .tag("port", Port.MAIN.tag())
        .register(meters);
    Gauge.builder("mmo.vs.http.connections.max", budgets, ConnectionBudgets::management)
        .description("connections the port holds open at once; more are closed at the accept")
        .tag("port", Port.MANAGEMENT.tag())
        .register(meters);
    LOG.infof(
        "connection budgets: main port %d open (%d per source)%s, management port %d (%d per"
            + " source); descriptor limit %d",
        budgets.main(),
        budgets.mainPerSource(),
        budgets.lowered(this.config) ? ", lowered to fit the descriptor limit" : "",
        budgets.management(),
        budgets.managementPerSource(),
        budgets.descriptorLimit());
  }

  private static double open(AcceptGuard guard) {
    return guard == null ? 0 : guard.open();
  }

  @Override
  public void customizeHttpServer(HttpServerOptions options) {
    transportRules(options);
  }

  @Override
  public void customizeHttpsServer(HttpServerOptions options) {
    transportRules(options);
  }

  private static void transportRules(HttpServerOptions options) {
    options
        .setHttp2ClearTextEnabled(false)
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setWebSocketClosingTimeout(1)
        .setMaxWebSocketFrameSize(Limits.MAX_FRAME_BYTES)
        .setMaxWebSocketMessageSize(Limits.MAX_FRAME_BYTES);
  }

  /** Whether every listening HTTP server found so far carries a guard (readiness). */
  boolean guarded() {
    return guards.containsKey(Port.MAIN);
  }

  /** The budgets the guards hold the ports to. */
  public ConnectionBudgets budgets() {
    return budgets;
  }

  /** From start-up on, guards each listening server as soon as it listens; else stops the VS. */
  void startup(@Observes StartupEvent started) {
    long deadline = System.currentTimeMillis() + GUARD_WITHIN_MS;
    vertx.setPeriodic(
        RETRY_MS,
        id -> {
          boolean done = guardNow() && System.currentTimeMillis() > deadline;
          if (done) {
            vertx.cancelTimer(id);
          } else if (!guarded() && System.currentTimeMillis() > deadline) {
            vertx.cancelTimer(id);
            LOG.errorf("no HTTP server to guard %d ms after start-up: stopping", GUARD_WITHIN_MS);
            Quarkus.asyncExit(70);
          }
        });
  }

  /** A server that starts later (after a restart of the HTTP layer) is guarded at once. */
  void serverStarted(@ObservesAsync HttpServerStart started) {
    guardNow();
  }

  private boolean guardNow() {
    try {
      guardListeningChannels();
      return guarded();
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.errorf(e, "cannot guard the HTTP port; stopping rather than serving unguarded");
      Quarkus.asyncExit(70);
      return false;
    }
  }

  /** Puts a guard on every listening channel that has none yet. */
  synchronized void guardListeningChannels() throws ReflectiveOperationException {
    Field bindFuture = TCPServerBase.class.getDeclaredField("bindFuture");
    bindFuture.setAccessible(true);
    Map<?, HttpServerImpl> shared = ((VertxInternal) vertx).sharedHttpServers();
    List<HttpServerImpl> servers;
    synchronized (shared) {
      servers = new ArrayList<>(shared.values());
    }
    int managementPort = managementPort();
    if (managementPort < 0) {
      // Not known yet: no port can be told from the other. The next round tries again.
      return;
    }
    for (HttpServerImpl server : servers) {
      @SuppressWarnings("unchecked")
      Future<Channel> bound = (Future<Channel>) bindFuture.get(server);
      if (bound == null || !bound.succeeded()) {
        continue;
      }
      Channel listening = bound.result();
      if (listening.pipeline().get(AcceptGuard.NAME) == null) {
        int localPort = ((java.net.InetSocketAddress) listening.localAddress()).getPort();
        Port port = localPort == managementPort ? Port.MANAGEMENT : Port.MAIN;
        guards.put(port, install(listening, port));
        LOG.debugf("connection guard on %s (%s port)", listening.localAddress(), port.tag());
      }
    }
  }

  /** Each port counts its own connections and sources: the management port's are not the API's. */
  private AcceptGuard install(Channel listening, Port port) {
    boolean main = port == Port.MAIN;
    return AcceptGuard.install(
        listening,
        settings,
        listeners.get(port),
        SourceLimits.openOnly(
            main ? budgets.mainPerSource() : budgets.managementPerSource(), maxTrackedSources),
        main ? budgets.main() : budgets.management());
  }

  /**
   * The management interface's bound port, or -1 while it is not known. Quarkus publishes the bound
   * port (a random one in tests) in its runtime registry; a fixed configured port is used as it is.
   * The management interface is always on (quarkus.management.enabled is fixed at build time), so
   * the VS waits for its port rather than guess.
   */
  private int managementPort() {
    HttpServer server = runtime.getOrDefault(HttpServer.HTTP_SERVER, null);
    if (server != null && server.getManagementPort() > 0) {
      return server.getManagementPort();
    }
    for (var key : List.of(HttpServer.MANAGEMENT_TEST_PORT, HttpServer.MANAGEMENT_PORT)) {
      Integer port = runtime.getOrDefault(key, null);
      if (port != null && port > 0) {
        return port;
      }
    }
    return configuredManagementPort;
  }
}
