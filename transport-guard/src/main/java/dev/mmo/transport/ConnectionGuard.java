package dev.mmo.transport;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The first handler of one server connection's pipeline: it sees the raw bytes before the server's
 * HTTP and WebSocket stack does, and holds the connection to its budgets from the moment it is
 * accepted (docs/protocol.md section 1).
 *
 * <ol>
 *   <li><b>Until the upgrade.</b> The first request head must be complete (its blank line read)
 *       within {@link GuardSettings#upgradeTimeout()} of the accept, however its bytes trickle in;
 *       else the guard answers {@code 408} and closes.
 *   <li><b>The upgrade</b> is the server's {@code 101} response to WebSocket (its {@code Upgrade}
 *       field says so; a {@code 101} to h2c is plain HTTP), seen leaving. A client that sent bytes
 *       after its request head before that (RFC 6455 section 4.1 forbids it) is refused {@code
 *       MALFORMED}.
 *   <li><b>After it</b>, every frame header is judged by {@link FrameScanner} before its payload is
 *       buffered. A violation ends the connection here: the bytes of the frames before it go on,
 *       nothing after; the guard sends the Close frame {@code 4000 + reason} itself, drops whatever
 *       the server still writes, discards what the peer still sends, and closes the TCP connection
 *       {@link GuardSettings#closeGrace()} later (or when the peer does).
 * </ol>
 *
 * <p>Requests that are not upgrades are the server's business after their head: the HTTP stack's
 * own limits and idle timeout apply; on a port that serves nothing but upgrades ({@link
 * GuardSettings#upgradeOnly()}) the connection ends a grace after its answer. One instance per
 * connection; every method runs on its event loop.
 */
public final class ConnectionGuard extends ChannelDuplexHandler {
  /** The pipeline name the guard is installed under. */
  public static final String NAME = "mmo-connection-guard";

  private static final byte[] RESPONSE = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] UPGRADED = "HTTP/1.1 101 ".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_RESPONSE_HEAD = 4096;
  private static final Pattern WEBSOCKET_UPGRADE =
      Pattern.compile("(?im)^upgrade:[ \\t]*websocket[ \\t]*\\r?$");
  private static final byte[] REQUEST_TIMEOUT =
      ("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private enum State {
    /** The first request head is arriving. */
    HEAD,
    /** Its head is complete; the server has not answered yet. */
    AFTER_HEAD,
    /** The server answered something else than 101: plain HTTP, the HTTP stack's business. */
    PLAIN_HTTP,
    WEBSOCKET,
    CLOSING
  }

  private final GuardSettings settings;
  private final GuardListener listener;
  private State state = State.HEAD;

  /** Whether the head has a line with content yet, and the current line has. */
  private boolean headHasContent;

  private boolean lineHasContent;

  private long bytesAfterHead;

  /** Closing after a plain-HTTP answer on an upgrade-only port: the answer's writes still go. */
  private boolean answering;

  private FrameScanner frames;
  private ScheduledFuture<?> deadline;

  public ConnectionGuard(GuardSettings settings, GuardListener listener) {
    this.settings = requireNonNull(settings, "settings");
    this.listener = requireNonNull(listener, "listener");
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadline =
        ctx.executor()
            .schedule(
                () -> upgradeTimedOut(ctx),
                settings.upgradeTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelDeadline();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelDeadline();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    switch (state) {
      case HEAD -> readHead(in);
      case AFTER_HEAD -> bytesAfterHead += in.readableBytes();
      case WEBSOCKET -> {
        FrameScanner.Violation v = frames.scan(in, System.nanoTime());
        if (v != null) {
          if (v.bytesBefore() > 0) {
            ctx.fireChannelRead(in.retainedSlice(in.readerIndex(), v.bytesBefore()));
          }
          in.release();
          refuse(ctx, v.reason(), v.detail());
          return;
        }
      }
      case CLOSING -> {
        in.release();
        return;
      }
    }
    ctx.fireChannelRead(in);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (state != State.CLOSING) {
      ctx.fireChannelReadComplete();
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (state == State.CLOSING) {
      if (answering) {
        // The rest of the plain-HTTP answer on an upgrade-only port.
        ctx.write(msg, promise);
        return;
      }
      // The connection is over for the server too: its writes would follow our Close frame.
      ReferenceCountUtil.release(msg);
      promise.tryFailure(new ClosedChannelException());
      return;
    }
    if (state != State.WEBSOCKET && msg instanceof ByteBuf out && startsWith(out, RESPONSE)) {
      if (startsWith(out, UPGRADED) && upgradesToWebSocket(out)) {
        upgraded(ctx, msg, promise);
        return;
      }
      cancelDeadline();
      if (settings.upgradeOnly()) {
        // Not an upgrade, on a port that serves nothing else: the answer goes out, nothing more
        // is read, and the connection ends a grace later.
        state = State.CLOSING;
        answering = true;
        ctx.write(msg, promise);
        closeAfterGrace(ctx);
        return;
      }
      state = State.PLAIN_HTTP;
    }
    ctx.write(msg, promise);
  }

  /**
   * Finds the end of the first request head: an empty line after at least one line with content.
   * Line ends are LF with an optional CR, as lenient as the HTTP decoder behind the guard, so no
   * head that it takes as complete is still timed here.
   */
  private void readHead(ByteBuf in) {
    int end = in.writerIndex();
    for (int i = in.readerIndex(); i < end; i++) {
      byte b = in.getByte(i);
      if (b == '\n') {
        if (headHasContent && !lineHasContent) {
          state = State.AFTER_HEAD;
          cancelDeadline();
          bytesAfterHead = end - i - 1;
          return;
        }
        lineHasContent = false;
      } else if (b != '\r') {
        lineHasContent = true;
        headHasContent = true;
      }
    }
  }

  /** The server's 101 is leaving: from now on the peer sends WebSocket frames. */
  private void upgraded(ChannelHandlerContext ctx, Object response, ChannelPromise promise) {
    boolean early = state == State.AFTER_HEAD && bytesAfterHead > 0;
    state = State.WEBSOCKET;
    cancelDeadline();
    frames =
        new FrameScanner(
            settings.maxMessageBytes(),
            new TokenBucket(settings.pingsPerSecond(), settings.pingBurst(), System.nanoTime()));
    ctx.write(response, promise);
    if (early) {
      // After the 101, so that the peer reads our Close frame as a WebSocket frame.
      refuse(ctx, Reason.MALFORMED, bytesAfterHead + " bytes sent before the 101 response");
    }
  }

  private void upgradeTimedOut(ChannelHandlerContext ctx) {
    if (state != State.HEAD) {
      return;
    }
    state = State.CLOSING;
    listener.upgradeTimedOut(ctx.channel().remoteAddress());
    ctx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT))
        .addListener(f -> ctx.channel().close());
    closeAfterGrace(ctx);
  }

  /** Sends the Close frame {@code 4000 + reason} and ends the connection. */
  private void refuse(ChannelHandlerContext ctx, Reason reason, String detail) {
    state = State.CLOSING;
    cancelDeadline();
    listener.refused(reason, detail, ctx.channel().remoteAddress());
    ctx.writeAndFlush(closeFrame(reason));
    closeAfterGrace(ctx);
  }

  private void closeAfterGrace(ChannelHandlerContext ctx) {
    ctx.executor()
        .schedule(
            () -> ctx.channel().close(), settings.closeGrace().toNanos(), TimeUnit.NANOSECONDS);
  }

  /** An unmasked server Close frame: status {@code 4000 + code}, the reason's name as its text. */
  static ByteBuf closeFrame(Reason reason) {
    byte[] text = reason.name().getBytes(StandardCharsets.US_ASCII);
    int status = reason.closeCode();
    ByteBuf frame = Unpooled.buffer(4 + text.length);
    frame.writeByte(0x88);
    frame.writeByte(2 + text.length);
    frame.writeShort(status);
    frame.writeBytes(text);
    return frame;
  }

  /**
   * Whether a {@code 101} response head switches to WebSocket: its {@code Upgrade} field names it.
   * A {@code 101} to HTTP/2 (h2c) is plain HTTP as far as the guard is concerned.
   */
  static boolean upgradesToWebSocket(ByteBuf head) {
    String text =
        head.toString(
            head.readerIndex(),
            Math.min(head.readableBytes(), MAX_RESPONSE_HEAD),
            StandardCharsets.ISO_8859_1);
    return WEBSOCKET_UPGRADE.matcher(text).find();
  }

  private static boolean startsWith(ByteBuf buf, byte[] prefix) {
    if (buf.readableBytes() < prefix.length) {
      return false;
    }
    int at = buf.readerIndex();
    for (int k = 0; k < prefix.length; k++) {
      if (buf.getByte(at + k) != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
