package dev.mmo.gs.play;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.transport.ConnectionGuard;
import dev.mmo.transport.GuardListener;
import dev.mmo.transport.GuardSettings;
import dev.mmo.transport.SourceLimits;
import dev.mmo.transport.Sources;
import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.SocketAddress;

/**
 * The transport rules of docs/protocol.md section 1.1 for {@code /play}: the HTTP server's options
 * (no WebSocket extension, HTTP/1.1 only, a small request head, a one-second closing handshake)
 * and, for every accepted connection, the per-source limits and a {@link ConnectionGuard} first in
 * its pipeline. Shared by the event loops that serve {@code /play}; thread-safe.
 */
final class PlayTransport {
  /** Sources whose connection rate is remembered; the least recently seen make room. */
  private static final int MAX_TRACKED_SOURCES = 65_536;

  private final SourceLimits sources;
  private final GuardSettings guard;
  private final GuardListener listener;

  PlayTransport(PlaySettings settings, PlayMetrics metrics) {
    ConnectionBudget budget = settings.budget();
    this.sources =
        new SourceLimits(
            budget.maxConnectionsPerSource(),
            budget.sourceConnectionsPerMinute(),
            budget.sourceConnectionBurst(),
            MAX_TRACKED_SOURCES);
    this.guard = GuardSettings.upgradeOnly(budget.upgradeTimeout(), settings.maxFrameBytes());
    this.listener =
        new GuardListener() {
          @Override
          public void refused(Reason reason, String detail, SocketAddress peer) {
            metrics.rejected(new Rejection(reason, detail), Sources.of(peer));
          }

          @Override
          public void upgradeTimedOut(SocketAddress peer) {
            metrics.upgradeTimedOut();
          }

          @Override
          public void overSourceLimit(SourceLimits.Verdict verdict, String source) {
            metrics.rejected(
                new Rejection(Reason.RATE_LIMITED, verdict + " from " + source), source);
          }
        };
  }

  /** The options of a {@code /play} server on {@code host:port}. */
  static HttpServerOptions options(String host, int port) {
    // The guard judges every frame header before the WebSocket stack buffers its payload; the
    // stack's own limits stay as a second line.
    return new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setHttp2ClearTextEnabled(false)
        .setMaxInitialLineLength(4096)
        .setMaxHeaderSize(8192)
        .setWebSocketClosingTimeout(1)
        .setMaxWebSocketFrameSize(Limits.MAX_FRAME_BYTES)
        .setMaxWebSocketMessageSize(Limits.MAX_FRAME_BYTES);
  }

  /**
   * A TCP connection was accepted: closed at once (nothing read or sent) when its source is over a
   * limit, else held to its budgets by a {@link ConnectionGuard} from this moment on.
   */
  void accepted(HttpConnection connection) {
    // The channel, not the HTTP connection: after the upgrade another object owns the channel.
    Channel channel = ((ConnectionBase) connection).channelHandlerContext().channel();
    String source = Sources.of(channel.remoteAddress());
    SourceLimits.Verdict verdict = sources.tryOpen(source, System.nanoTime());
    if (verdict != SourceLimits.Verdict.OPENED) {
      listener.overSourceLimit(verdict, source);
      channel.close();
      return;
    }
    channel.closeFuture().addListener(f -> sources.closed(source));
    channel.pipeline().addFirst(ConnectionGuard.NAME, new ConnectionGuard(guard, listener));
  }
}
