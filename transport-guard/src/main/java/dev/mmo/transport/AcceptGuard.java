package dev.mmo.transport;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler for a listening channel: it puts a fresh {@link ConnectionGuard} first in the pipeline
 * of every connection the channel accepts, before the server's own handlers are added, so the
 * guard's clock starts at the accept, and counts the connections it lets in, in all and per source.
 * For servers whose per-connection set-up offers no hook of its own (Quarkus's HTTP server);
 * install it with {@link #install}.
 */
@ChannelHandler.Sharable
public final class AcceptGuard extends ChannelInboundHandlerAdapter {
  /** The pipeline name on the listening channel. */
  public static final String NAME = "mmo-accept-guard";

  private final GuardSettings settings;
  private final GuardListener listener;
  private final SourceLimits sources;
  private final int maxOpen;
  private final AtomicInteger open = new AtomicInteger();

  private AcceptGuard(
      GuardSettings settings, GuardListener listener, SourceLimits sources, int maxOpen) {
    this.settings = requireNonNull(settings, "settings");
    this.listener = requireNonNull(listener, "listener");
    this.sources = requireNonNull(sources, "sources");
    if (maxOpen < 1) {
      throw new IllegalArgumentException("maxOpen must be positive, got " + maxOpen);
    }
    this.maxOpen = maxOpen;
  }

  /**
   * Guards every connection {@code listening} accepts from now on: a connection beyond {@code
   * maxOpen} open ones, or from a source over {@code sources}, is closed at once, before anything
   * is read or sent; every other gets its own {@link ConnectionGuard}. Connections accepted before
   * are left as they are (and not counted).
   *
   * @return the guard, which counts the connections it let in
   * @throws IllegalArgumentException when {@code listening} already has a guard
   */
  public static AcceptGuard install(
      Channel listening,
      GuardSettings settings,
      GuardListener listener,
      SourceLimits sources,
      int maxOpen) {
    if (listening.pipeline().get(NAME) != null) {
      throw new IllegalArgumentException("already guarded: " + listening);
    }
    AcceptGuard guard = new AcceptGuard(settings, listener, sources, maxOpen);
    listening.pipeline().addFirst(NAME, guard);
    return guard;
  }

  /** Connections this guard let in that are still open. */
  public int open() {
    return open.get();
  }

  /** The most connections it lets in at once. */
  public int maxOpen() {
    return maxOpen;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel accepted) {
      admit(accepted);
    }
    ctx.fireChannelRead(msg);
  }

  private void admit(Channel accepted) {
    String source = Sources.of(accepted.remoteAddress());
    if (open.incrementAndGet() > maxOpen) {
      open.decrementAndGet();
      listener.listenerFull(source);
      accepted.pipeline().addFirst(new CloseAtOnce());
      return;
    }
    SourceLimits.Verdict verdict = sources.tryOpen(source, System.nanoTime());
    if (verdict != SourceLimits.Verdict.OPENED) {
      open.decrementAndGet();
      listener.overSourceLimit(verdict, source);
      accepted.pipeline().addFirst(new CloseAtOnce());
      return;
    }
    accepted
        .closeFuture()
        .addListener(
            f -> {
              sources.closed(source);
              open.decrementAndGet();
            });
    accepted.pipeline().addFirst(ConnectionGuard.NAME, new ConnectionGuard(settings, listener));
  }

  /** Ends a connection as soon as it is registered: nothing read, nothing sent. */
  private static final class CloseAtOnce extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.channel().close();
    }
  }
}
