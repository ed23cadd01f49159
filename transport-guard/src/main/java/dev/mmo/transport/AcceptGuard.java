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

  private AcceptGuard(GuardSettings settings, GuardListener listener) {
    this.settings = requireNonNull(settings, "settings");
    this.listener = requireNonNull(listener, "listener");
  }

  /**
   * Guards every connection {@code listening} accepts from now on. Connections it accepted before
   * are left as they are.
   *
   * @throws IllegalArgumentException when {@code listening} already has a guard
   */
  public static void install(Channel listening, GuardSettings settings, GuardListener listener) {
    if (listening.pipeline().get(NAME) != null) {
      throw new IllegalArgumentException("already guarded: " + listening);
    }
    listening.pipeline().addFirst(NAME, new AcceptGuard(settings, listener));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel accepted) {
      accepted.pipeline().addFirst(ConnectionGuard.NAME, new ConnectionGuard(settings, listener));
    }
    ctx.fireChannelRead(msg);
  }
}
