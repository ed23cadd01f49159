package dev.mmo.transport;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of one server connection's pipeline: it sees the raw bytes before the server's
 * HTTP and WebSocket stack does, and holds the connection to its budgets from the moment it is
 * accepted (docs/protocol.md section 1.1).
 *
 * <ol>
 *   <li><b>Until the answer.</b> A request that asks for a WebSocket (and, on an {@link
 *       GuardSettings#upgradeOnly() upgrade-only} port, any request) must have been answered within
 *       {@link GuardSettings#upgradeTimeout()} of the accept, however its bytes trickle in; on a
 *       port that also serves plain HTTP, any other request only has to complete its head by then
 *       ({@link RequestHead}). Else the guard answers {@code 408} and closes.
 *   <li><b>The upgrade</b> is the server's {@code 101} to WebSocket, seen leaving. It must answer
 *       the connection's first request, and the client must have sent nothing after that request's
 *       head (RFC 6455 section 4.1): else the connection is refused {@code MALFORMED}.
 *   <li><b>After it</b>, every frame header is judged by {@link FrameScanner} before its payload is
 *       buffered. A violation ends the connection here: the bytes of the frames before it go on,
 *       nothing after; the guard sends the Close frame {@code 4000 + reason} itself, drops whatever
 *       the server still writes, discards what the peer still sends, and closes the TCP connection
 *       {@link GuardSettings#closeGrace()} later (or when the peer does).
 * </ol>
 *
 * <p>On an upgrade-only port any other answer ends the connection a grace later, nothing more read.
 * On a port that also serves plain HTTP ({@link GuardSettings#plainHttp()}), every request must be
 * answered within the request timeout of its first byte (the first request: of the accept), else
 * {@code 408} and the connection is closed; a bare refusal of the server's HTTP stack leaves with
 * the body the port's {@link Refusals} give it. One instance per connection; every method runs on
 * its event loop.
 */
public final class ConnectionGuard extends ChannelDuplexHandler {
  /** The pipeline name the guard is installed under. */
  public static final String NAME = "mmo-connection-guard";

  /** The name Vert.x gives its TLS handler; a guard in front of it moves behind it. */
  static final String TLS_HANDLER = "ssl";

  private static final byte[] REQUEST_TIMEOUT =
      ("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private enum State {
    /** The first request head is arriving; the upgrade clock runs. */
    HEAD,
    /** Its head is complete; the clock runs until the answer leaves. */
    AWAITING_ANSWER,
    /** The first request was plain HTTP on a port that serves it: each request on a clock. */
    PLAIN_HTTP,
    /** The server switched to another protocol than WebSocket (h2c): its business. */
    SWITCHED,
    /** A plain-HTTP answer on an upgrade-only port: it goes out, nothing more is read. */
    ANSWERED,
    WEBSOCKET,
    CLOSING
  }

  private final GuardSettings settings;
  private final GuardListener listener;
  private final RequestHead head = new RequestHead();
  private State state = State.HEAD;

  /** Bytes the client sent after its first request head, before the answer. */
  private long bytesAfterHead;

  /** In PLAIN_HTTP: bytes arrived that no response head has answered yet; the clock runs. */
  private boolean requestPending;

  private FrameScanner frames;
  private ScheduledFuture<?> deadline;

  /** When the connection was accepted ({@link System#nanoTime}); 0 until the guard is added. */
  private long acceptedNanos;

  public ConnectionGuard(GuardSettings settings, GuardListener listener) {
    this(settings, listener, 0);
  }

  private ConnectionGuard(GuardSettings settings, GuardListener listener, long acceptedNanos) {
    this.settings = requireNonNull(settings, "settings");
    this.listener = requireNonNull(listener, "listener");
    this.acceptedNanos = acceptedNanos;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (acceptedNanos == 0) {
      acceptedNanos = System.nanoTime();
    }
    long left = settings.upgradeTimeout().toNanos() - (System.nanoTime() - acceptedNanos);
    deadline =
        ctx.executor()
            .schedule(() -> upgradeTimedOut(ctx), Math.max(0, left), TimeUnit.NANOSECONDS);
  }

  /**
   * Where the server decrypts TLS, the guard must read what its HTTP stack reads: it moves behind
   * the TLS handler (which the server adds after it), its clock still counting from the accept.
   */
  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    ChannelPipeline pipeline = ctx.pipeline();
    List<String> names = pipeline.names();
    int tls = names.indexOf(TLS_HANDLER);
    if (tls > names.indexOf(ctx.name())) {
      pipeline.remove(this);
      pipeline.addAfter(TLS_HANDLER, NAME, new ConnectionGuard(settings, listener, acceptedNanos));
    }
    ctx.fireChannelActive();
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
      case HEAD -> readHead(ctx, in);
      case AWAITING_ANSWER -> bytesAfterHead += in.readableBytes();
      case PLAIN_HTTP -> requestStarted(ctx, System.nanoTime());
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
      case ANSWERED, CLOSING -> {
        in.release();
        return;
      }
      default -> {}
    }
    ctx.fireChannelRead(in);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // ANSWERED still passes it on: the server flushes its answer there.
    if (state != State.CLOSING) {
      ctx.fireChannelReadComplete();
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (state == State.CLOSING) {
      // The connection is over for the server too: its writes would follow our Close frame.
      ReferenceCountUtil.release(msg);
      promise.tryFailure(new ClosedChannelException());
      return;
    }
    boolean answer =
        (state == State.HEAD || state == State.AWAITING_ANSWER || state == State.PLAIN_HTTP)
            && msg instanceof ByteBuf out
            && ResponseHead.isResponse(out);
    if (!answer || ResponseHead.isInterim((ByteBuf) msg)) {
      ctx.write(msg, promise);
      return;
    }
    ByteBuf out = (ByteBuf) msg;
    if (ResponseHead.upgradesToWebSocket(out)) {
      upgrade(ctx, msg, promise);
      return;
    }
    cancelDeadline();
    requestPending = false;
    boolean switched = ResponseHead.status(out) == 101;
    ctx.write(withRefusalBody(out), promise);
    if (settings.upgradeOnly()) {
      state = State.ANSWERED;
      closeAfterGrace(ctx);
    } else {
      state = switched ? State.SWITCHED : State.PLAIN_HTTP;
    }
  }

  private void readHead(ChannelHandlerContext ctx, ByteBuf in) {
    int after = head.read(in);
    if (after < 0) {
      return;
    }
    bytesAfterHead = after;
    if (head.asksForWebSocket() || settings.upgradeOnly()) {
      state = State.AWAITING_ANSWER;
    } else {
      state = State.PLAIN_HTTP;
      cancelDeadline();
      requestStarted(ctx, acceptedNanos);
    }
  }

  /** Bytes of a request arrived at {@code nanos}: unless one is pending, its clock starts. */
  private void requestStarted(ChannelHandlerContext ctx, long nanos) {
    if (requestPending) {
      return;
    }
    requestPending = true;
    long left = settings.plainHttp().requestTimeout().toNanos() - (System.nanoTime() - nanos);
    deadline =
        ctx.executor()
            .schedule(() -> requestTimedOut(ctx), Math.max(0, left), TimeUnit.NANOSECONDS);
  }

  private void requestTimedOut(ChannelHandlerContext ctx) {
    if (state != State.PLAIN_HTTP || !requestPending) {
      return;
    }
    listener.requestTimedOut(ctx.channel().remoteAddress());
    answer408(ctx);
  }

  /** The server's 101 to WebSocket is leaving: from now on the peer sends WebSocket frames. */
  private void upgrade(ChannelHandlerContext ctx, Object response, ChannelPromise promise) {
    String broken = null;
    if (state == State.PLAIN_HTTP) {
      broken = "an upgrade must be the connection's first request";
    } else if (bytesAfterHead > 0) {
      broken = bytesAfterHead + " bytes sent before the 101 response";
    }
    state = State.WEBSOCKET;
    cancelDeadline();
    frames = new FrameScanner(settings.maxMessageBytes(), settings.rates(), System.nanoTime());
    ctx.write(response, promise);
    if (broken != null) {
      // After the 101, so that the peer reads our Close frame as a WebSocket frame.
      refuse(ctx, Reason.MALFORMED, broken);
    }
  }

  private void upgradeTimedOut(ChannelHandlerContext ctx) {
    if (state != State.HEAD && state != State.AWAITING_ANSWER) {
      return;
    }
    listener.upgradeTimedOut(ctx.channel().remoteAddress());
    answer408(ctx);
  }

  private void answer408(ChannelHandlerContext ctx) {
    state = State.CLOSING;
    deadline = null;
    ByteBuf timeout = Unpooled.wrappedBuffer(REQUEST_TIMEOUT);
    ctx.writeAndFlush(withRefusalBody(timeout)).addListener(f -> ctx.close());
    closeAfterGrace(ctx);
  }

  /** A bare refusal with the port's body for it; anything else as it is. */
  private ByteBuf withRefusalBody(ByteBuf out) {
    GuardSettings.PlainHttp http = settings.plainHttp();
    ByteBuf withBody = http == null ? null : ResponseHead.withBody(out, http.refusals());
    if (withBody == null) {
      return out;
    }
    out.release();
    return withBody;
  }

  /** Sends the Close frame {@code 4000 + reason} and ends the connection. */
  private void refuse(ChannelHandlerContext ctx, Reason reason, String detail) {
    state = State.CLOSING;
    cancelDeadline();
    listener.refused(reason, detail, ctx.channel().remoteAddress());
    ctx.writeAndFlush(closeFrame(reason));
    closeAfterGrace(ctx);
  }

  /**
   * Closes the TCP connection a grace from now, from this handler: straight to the socket, past the
   * server's WebSocket stack and its own closing handshake.
   */
  private void closeAfterGrace(ChannelHandlerContext ctx) {
    ctx.executor()
        .schedule(() -> ctx.close(), settings.closeGrace().toNanos(), TimeUnit.NANOSECONDS);
  }

  /** An unmasked server Close frame: status {@code 4000 + code}, the reason's name as its text. */
  static ByteBuf closeFrame(Reason reason) {
    byte[] text = reason.name().getBytes(StandardCharsets.US_ASCII);
    ByteBuf frame = Unpooled.buffer(4 + text.length);
    frame.writeByte(0x88);
    frame.writeByte(2 + text.length);
    frame.writeShort(reason.closeCode());
    frame.writeBytes(text);
    return frame;
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
