package dev.mmo.gs.play;

import dev.mmo.gs.match.Match;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.wire.ClientHello;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Signed;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.ServerWebSocket;

/**
 * One client's {@code /play} connection, on the event loop that accepted it: the handshake of
 * protocol.md 10.1, then its inputs (10.3), each verified here, so signature checks spread over
 * every connection event loop and never touch the match's. The first failure closes this connection
 * alone with {@code 4000 + reason}.
 */
final class Connection {
  private enum State {
    HELLO,
    PLAYING,
    CLOSED
  }

  private final PlayServer server;
  private final ServerWebSocket ws;
  private final Context context;
  private final RateLimiter limiter;
  private final String peer;
  private final long helloTimer;
  private State state = State.HELLO;

  /** The newest ticket counter this client was shown; touched on this connection's context only. */
  private long shownTicket;

  private Ed25519PublicKey key;
  // Read by the match's and the link's threads to pick the connections of a match.
  private volatile Match match;
  private Match.Player player;

  Connection(PlayServer server, ServerWebSocket ws, Context context) {
    this.server = server;
    this.ws = ws;
    this.context = context;
    PlaySettings settings = server.settings();
    this.limiter = new RateLimiter(settings.inputRate(), settings.inputBurst(), System.nanoTime());
    this.peer = String.valueOf(ws.remoteAddress());
    ws.binaryMessageHandler(this::onFrame);
    ws.textMessageHandler(text -> refuse(new Rejection(Reason.MALFORMED, "a text frame")));
    ws.closeHandler(v -> onClosed());
    // A connection that ended without a Close frame (a dropped player, or the guard's close after
    // its grace) is only closed; any other failure of the WebSocket stack (the guard catches
    // malformed and oversized frames first) ends this connection with a reason, never half-read.
    ws.exceptionHandler(
        e -> {
          if (e instanceof HttpClosedException) {
            onClosed();
          } else {
            refuse(new Rejection(Reason.MALFORMED, String.valueOf(e)));
          }
        });
    this.helloTimer =
        context
            .owner()
            .setTimer(
                settings.budget().helloTimeout().toMillis(),
                id -> {
                  if (state == State.HELLO) {
                    refuse(new Rejection(Reason.UNEXPECTED_TYPE, "no hello in time"));
                  }
                });
  }

  Match match() {
    return match;
  }

  /** Sends {@code frame} unless the client is too slow to take it (then it misses this one). */
  void sendDroppable(Buffer frame) {
    context.runOnContext(
        v -> {
          // The peer may have closed before our close handler ran.
          if (state == State.PLAYING && !ws.isClosed() && !ws.writeQueueFull()) {
            ws.writeBinaryMessage(frame);
          }
        });
  }

  /**
   * Sends ticket {@code counter} unless the client was already shown it (in its ServerHello, built
   * after the ticket arrived but before this forward ran): a ticket twice is a replay to a client.
   */
  void sendTicket(long counter, Buffer frame) {
    context.runOnContext(
        v -> {
          if (state == State.PLAYING && !ws.isClosed() && counter > shownTicket) {
            shownTicket = counter;
            ws.writeBinaryMessage(frame);
          }
        });
  }

  /** Closes from any thread with {@code 4000 + code}; {@code last} (may be null) goes first. */
  void close(Buffer last, int code, String reason) {
    context.runOnContext(
        v -> {
          if (last != null && state == State.PLAYING && !ws.isClosed()) {
            ws.writeBinaryMessage(last);
          }
          closeNow(Reason.CLOSE_CODE_BASE + code, reason);
        });
  }

  private void onFrame(Buffer buffer) {
    if (state == State.CLOSED) {
      return;
    }
    try {
      if (!limiter.tryAcquire(System.nanoTime())) {
        throw new Rejection(Reason.RATE_LIMITED, "over " + server.settings().inputRate() + "/s");
      }
      if (buffer.length() > server.settings().maxFrameBytes()) {
        throw new Rejection(Reason.FRAME_TOO_LARGE, buffer.length() + " bytes");
      }
      byte[] frame = buffer.getBytes();
      if (state == State.HELLO) {
        hello(frame);
      } else {
        input(frame);
      }
    } catch (Rejection r) {
      refuse(r);
    }
  }

  /** protocol.md 10.1 step 2, in its order. */
  private void hello(byte[] frame) throws Rejection {
    Signed<ClientHello> signed = Codec.decodeSigned(frame, ClientHello.class);
    ClientHello hello = signed.body();
    PlaySettings settings = server.settings();
    if (!hello.gsId().equals(settings.gsId())) {
      throw new Rejection(Reason.HANDSHAKE_MISMATCH, "hello for " + hello.gsId());
    }
    long now = server.clock().millis();
    if (Math.abs(hello.clientTimeMs() - now) > settings.clientClockSkew().toMillis()) {
      throw new Rejection(Reason.CLOCK_SKEW, "client time " + hello.clientTimeMs() + ", GS " + now);
    }
    Ed25519Verifier verifier = Ed25519Verifier.of(hello.clientKey());
    signed.verify(verifier);
    switch (server.challenges().remember(hello.challenge(), now)) {
      case SEEN -> throw new Rejection(Reason.REPLAY, "challenge seen before");
      case FULL -> throw new Rejection(Reason.RATE_LIMITED, "too many hellos in the window");
      default -> {}
    }
    if (!server.hasRoomFor(hello.clientKey())) {
      throw new Rejection(Reason.TOO_MANY_CLIENTS, "full");
    }
    PlayServer.Live live = server.blessedNow();
    if (live == null) {
      throw new Rejection(Reason.NO_FRESH_TICKET, "no fresh ticket held");
    }
    Match.Player p =
        live.match()
            .player(hello.clientKey(), verifier)
            .orElseThrow(() -> new Rejection(Reason.TOO_MANY_CLIENTS, "the world is full"));
    Connection replaced = server.admit(hello.clientKey(), this);
    key = hello.clientKey();
    if (!live.match().offerJoin(key)) {
      throw new Rejection(Reason.RATE_LIMITED, "the match's queue is full");
    }
    PlayServer.Hello answer = live.serverHello(hello);
    ws.writeBinaryMessage(Buffer.buffer(answer.frame()));
    shownTicket = answer.newestTicket();
    context.owner().cancelTimer(helloTimer);
    match = live.match();
    player = p;
    state = State.PLAYING;
    if (replaced != null) {
      Reason r = Reason.CONNECTION_REPLACED;
      replaced.close(null, r.code(), r.name());
    }
  }

  /** protocol.md 10.3: the checks, then the match's queue. */
  private void input(byte[] frame) throws Rejection {
    Match.Accepted accepted = match.check(frame, player);
    if (!match.offerInput(accepted)) {
      throw new Rejection(Reason.RATE_LIMITED, "the match's queue is full");
    }
    server.metrics().verified();
  }

  private void refuse(Rejection rejection) {
    if (state == State.CLOSED) {
      return;
    }
    server.metrics().rejected(rejection, peer);
    Reason reason = rejection.reason();
    closeNow(reason.closeCode(), reason.name());
  }

  private void closeNow(int closeCode, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    context.owner().cancelTimer(helloTimer);
    if (key != null) {
      server.release(key, this);
    }
    if (!ws.isClosed()) {
      ws.close((short) closeCode, reason);
    }
  }

  private void onClosed() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    context.owner().cancelTimer(helloTimer);
    if (key != null) {
      server.release(key, this);
    }
  }
}
