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
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.lang.reflect.Field;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The transport rules of docs/protocol.md section 1 on the VS's HTTP servers: no WebSocket
 * extension (so nothing is ever inflated), frames and messages of at most 65,536 bytes, a Close
 * answered or the TCP connection closed within a second, and a {@link
 * dev.mmo.transport.ConnectionGuard} on every accepted connection, whose clock starts at the
 * accept.
 *
 * <p>Quarkus offers no hook per accepted connection, so the guard goes on each listening channel
 * once the server listens; the listening channel is read from Vert.x's shared-server registry (a
 * private field, checked by the tests against the pinned Vert.x). A VS that cannot guard its port
 * stops: it does not serve unguarded.
 */
@ApplicationScoped
public class TransportGuard implements HttpServerOptionsCustomizer {
  private static final Logger LOG = Logger.getLogger(TransportGuard.class);

  private final Vertx vertx;
  private final GuardSettings settings;
  private final GuardListener listener;
  private final SourceLimits sources;

  public TransportGuard(
      Vertx vertx, VsConfig config, GsRejections rejections, MeterRegistry meters) {
    this.vertx = vertx;
    this.settings = GuardSettings.of(config.gs().upgradeTimeout());
    // Open connections per source, at the accept; the rate of new /gs connections per source is
    // ConnectionLimits', after the upgrade.
    this.sources =
        new SourceLimits(
            config.gs().maxConnectionsPerSource(),
            Integer.MAX_VALUE,
            Integer.MAX_VALUE,
            config.gs().maxTrackedSources());
    Counter upgradeTimeouts =
        Counter.builder("mmo.vs.http.upgrade.timeouts")
            .description(
                "connections closed for no complete request head within the upgrade timeout")
            .register(meters);
    this.listener =
        new GuardListener() {
          @Override
          public void refused(Reason reason, String detail, SocketAddress peer) {
            rejections.rejected(new Rejection(reason, detail), Sources.of(String.valueOf(peer)));
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

  /** Guards every listening HTTP server not guarded yet; each server start calls it again. */
  void serverStarted(@ObservesAsync HttpServerStart started) {
    try {
      int guarded = guardListeningChannels();
      LOG.debugf("connection guard on %d listening channels", guarded);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.errorf(e, "cannot guard the HTTP port; stopping rather than serving unguarded");
      Quarkus.asyncExit(70);
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
    int guarded = 0;
    for (HttpServerImpl server : servers) {
      @SuppressWarnings("unchecked")
      Future<Channel> bound = (Future<Channel>) bindFuture.get(server);
      if (bound == null || !bound.succeeded()) {
        continue;
      }
      Channel listening = bound.result();
      if (listening.pipeline().get(AcceptGuard.NAME) == null) {
        AcceptGuard.install(listening, settings, listener, sources);
      }
      guarded++;
    }
    if (guarded == 0) {
      throw new IllegalStateException("no listening HTTP server found");
    }
    return guarded;
  }
}
