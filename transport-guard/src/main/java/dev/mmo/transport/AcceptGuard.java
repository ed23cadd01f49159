package dev.mmo.transport;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * A handler for a listening channel: it puts a fresh {@link ConnectionGuard} first in the pipeline
 * of every connection the channel accepts, before the server's own handlers are added, so the
 * guard's clock starts at the accept. For servers whose per-connection set-up offers no hook of its
 * own (Quarkus's HTTP server); install it with {@link #install(Channel, GuardSettings,
 * GuardListener)}.
 */
@ChannelHandler.Sharable
public final class AcceptGuard extends ChannelInboundHandlerAdapter {
  /** The pipeline name on the listening channel. */
  public static final String NAME = "mmo-accept-guard";

  private final GuardSettings settings;
  private final GuardListener listener;
  private final SourceLimits sources;

  private AcceptGuard(GuardSettings settings, GuardListener listener, SourceLimits sources) {
    this.settings = requireNonNull(settings, "settings");
    this.listener = requireNonNull(listener, "listener");
    this.sources = requireNonNull(sources, "sources");
  }

  /**
   * Guards every connection {@code listening} accepts from now on: a connection from a source over
   * {@code sources} is closed at once, before anything is read or sent; every other gets its own
   * {@link ConnectionGuard}. Connections accepted before are left as they are.
   *
   * @throws IllegalArgumentException when {@code listening} already has a guard
   */
  public static void install(
      Channel listening, GuardSettings settings, GuardListener listener, SourceLimits sources) {
    if (listening.pipeline().get(NAME) != null) {
      throw new IllegalArgumentException("already guarded: " + listening);
    }
    listening.pipeline().addFirst(NAME, new AcceptGuard(settings, listener, sources));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel accepted) {
      String source = Sources.of(accepted.remoteAddress());
      SourceLimits.Verdict verdict = sources.tryOpen(source, System.nanoTime());
      if (verdict == SourceLimits.Verdict.OPENED) {
        accepted.closeFuture().addListener(f -> sources.closed(source));
        accepted.pipeline().addFirst(ConnectionGuard.NAME, new ConnectionGuard(settings, listener));
      } else {
        listener.overSourceLimit(verdict, source);
        accepted.pipeline().addFirst(new CloseAtOnce());
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** Ends a connection as soon as it is registered: nothing read, nothing sent. */
  private static final class CloseAtOnce extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.channel().close();
    }
  }
}
