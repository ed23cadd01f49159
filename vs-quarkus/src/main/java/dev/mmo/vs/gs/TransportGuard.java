package dev.mmo.vs.gs;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.transport.AcceptGuard;
import dev.mmo.transport.GuardListener;
import dev.mmo.transport.GuardSettings;
import dev.mmo.transport.SourceLimits;
import dev.mmo.transport.Sources;
import dev.mmo.vs.config.VsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
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
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The transport rules of docs/protocol.md section 1.1 on the VS's HTTP servers: no WebSocket
 * extension (so nothing is ever inflated), messages of at most 65,536 bytes, a Close answered or
 * the TCP connection closed within a second, and an {@link AcceptGuard} on every listening channel
 * (open connections per source counted at the accept, a {@link dev.mmo.transport.ConnectionGuard}
 * on every connection, its clock started at the accept).
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
  private final VsConfig.Gs config;
  private final GuardSettings settings;
  private final GuardListener listener;
  private final AtomicInteger guarded = new AtomicInteger();

  public TransportGuard(
      Vertx vertx, VsConfig config, GsRejections rejections, MeterRegistry meters) {
    this.vertx = vertx;
    this.config = config.gs();
    this.settings = GuardSettings.of(this.config.upgradeTimeout());
    Counter upgradeTimeouts =
        Counter.builder("mmo.vs.http.upgrade.timeouts")
            .description(
                "connections closed for no answer or request head within the upgrade timeout")
            .register(meters);
    this.listener =
        new GuardListener() {
          @Override
          public void refused(Reason reason, String detail, SocketAddress peer) {
            rejections.rejected(new Rejection(reason, detail), Sources.of(peer));
          }

          @Override
          public void upgradeTimedOut(SocketAddress peer) {
            upgradeTimeouts.increment();
          }

          @Override
          public void overSourceLimit(SourceLimits.Verdict verdict, String source) {
            rejections.rejected(
                new Rejection(Reason.RATE_LIMITED, verdict + " at the accept"), source);
          }
        };
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
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setWebSocketClosingTimeout(1)
        .setMaxWebSocketFrameSize(Limits.MAX_FRAME_BYTES)
        .setMaxWebSocketMessageSize(Limits.MAX_FRAME_BYTES);
  }

  /** Whether every listening HTTP server found so far carries a guard (readiness). */
  boolean guarded() {
    return guarded.get() > 0;
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
      guarded.set(guardListeningChannels());
      return guarded();
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.errorf(e, "cannot guard the HTTP port; stopping rather than serving unguarded");
      Quarkus.asyncExit(70);
      return false;
    }
  }

  /** The number of listening channels that carry a guard now. */
  synchronized int guardListeningChannels() throws ReflectiveOperationException {
    Field bindFuture = TCPServerBase.class.getDeclaredField("bindFuture");
    bindFuture.setAccessible(true);
    Map<?, HttpServerImpl> shared = ((VertxInternal) vertx).sharedHttpServers();
    List<HttpServerImpl> servers;
    synchronized (shared) {
      servers = new ArrayList<>(shared.values());
    }
    int count = 0;
    for (HttpServerImpl server : servers) {
      @SuppressWarnings("unchecked")
      Future<Channel> bound = (Future<Channel>) bindFuture.get(server);
      if (bound == null || !bound.succeeded()) {
        continue;
      }
      Channel listening = bound.result();
      if (listening.pipeline().get(AcceptGuard.NAME) == null) {
        // Each port counts its own sources: the management port's scrapes are not the API's.
        AcceptGuard.install(
            listening,
            settings,
            listener,
            SourceLimits.openOnly(config.maxConnectionsPerSource(), config.maxTrackedSources()));
        LOG.debugf("connection guard on %s", listening.localAddress());
      }
      count++;
    }
    return count;
  }
}
