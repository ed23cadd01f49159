package dev.mmo.e2e;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.MessageType;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host a client reaches at {@code /play}, run by someone the client must not trust: either a
 * relay in front of a real game server process whose operator rewrites, drops, holds back or
 * injects frames in both directions ({@link #relaying}), or a stand-in that answers clients itself
 * ({@link #answering}). What it may do to the traffic is a {@link Tamper}; it never has more than
 * what crosses the wire (a GS that holds its session key is {@link RogueGs}).
 */
final class RogueHost implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private HttpServer server;

  /** What the operator does with each frame and with the game server's close. */
  interface Tamper {
    /** A frame the game server sent to the client. Default: deliver it. */
    default void fromGs(Link link, byte[] frame) {
      link.toClient(frame);
    }

    /** A frame the client sent. Default: pass it on. */
    default void fromClient(Link link, byte[] frame) {
      link.toGs(frame);
    }

    /** The game server closed the connection. Default: close the client's the same way. */
    default void gsClosed(Link link, int status, String reason) {
      link.closeClient(status, reason);
    }
  }

  /**
   * A host that hides the revoke: it drops every Revoke the game server forwards, counting them in
   * {@code hidden}, and keeps each client's connection open after the game server closed it, as if
   * the match went on.
   */
  static Tamper hidingTheRevoke(AtomicInteger hidden) {
    return new Tamper() {
      @Override
      public void fromGs(Link link, byte[] frame) {
        if (isRevoke(frame)) {
          hidden.incrementAndGet();
        } else {
          link.toClient(frame);
        }
      }

      @Override
      public void gsClosed(Link link, int status, String reason) {
        // the client's socket stays open
      }
    };
  }

  private static boolean isRevoke(byte[] frame) {
    try {
      return Codec.decode(frame).type() == MessageType.REVOKE;
    } catch (Rejection e) {
      return false;
    }
  }

  /** One client's connection through the host. Its methods may be called from any thread. */
  static final class Link {
    private final ServerWebSocket client;
    private volatile WebSocket gs;

    private Link(ServerWebSocket client) {
      this.client = client;
    }

    void toClient(byte[] frame) {
      if (!client.isClosed()) {
        client.writeBinaryMessage(Buffer.buffer(frame));
      }
    }

    void toGs(byte[] frame) {
      WebSocket up = gs;
      if (up == null) {
        throw new IllegalStateException("this host answers on its own: there is no game server");
      }
      if (!up.isClosed()) {
        up.writeBinaryMessage(Buffer.buffer(frame));
      }
    }

    void closeClient(int status, String reason) {
      if (!client.isClosed()) {
        client.close((short) status, reason);
      }
    }
  }

  private RogueHost() {}

  /**
   * A relay to the game server at {@code gsPlay}: every client gets its own upstream connection.
   */
  static RogueHost relaying(URI gsPlay, Tamper tamper) throws Exception {
    requireNonNull(tamper, "tamper");
    RogueHost host = new RogueHost();
    WebSocketClient upstream =
        host.vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxFrameSize(Limits.MAX_FRAME_BYTES)
                .setMaxMessageSize(Limits.MAX_FRAME_BYTES));
    WebSocketConnectOptions target =
        new WebSocketConnectOptions()
            .setHost(gsPlay.getHost())
            .setPort(gsPlay.getPort())
            .setURI(gsPlay.getPath());
    return host.listen(
        client -> {
          Link link = new Link(client);
          client.pause();
          upstream
              .connect(target)
              .onFailure(e -> client.close((short) 1011, "no game server"))
              .onSuccess(
                  gs -> {
                    link.gs = gs;
                    gs.binaryMessageHandler(b -> tamper.fromGs(link, b.getBytes()));
                    gs.closeHandler(
                        v ->
                            tamper.gsClosed(
                                link,
                                gs.closeStatusCode() == null ? 1006 : gs.closeStatusCode(),
                                gs.closeReason() == null ? "" : gs.closeReason()));
                    client.binaryMessageHandler(b -> tamper.fromClient(link, b.getBytes()));
                    client.closeHandler(v -> gs.close());
                    client.resume();
                  });
        });
  }

  /** A host with no game server behind it: {@code answer} gets every client frame. */
  static RogueHost answering(Tamper answer) throws Exception {
    requireNonNull(answer, "answer");
    return new RogueHost()
        .listen(
            client -> {
              Link link = new Link(client);
              client.binaryMessageHandler(b -> answer.fromClient(link, b.getBytes()));
            });
  }

  private RogueHost listen(Handler<ServerWebSocket> handler) throws Exception {
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setMaxWebSocketFrameSize(Limits.MAX_FRAME_BYTES)
                    .setMaxWebSocketMessageSize(Limits.MAX_FRAME_BYTES))
            .webSocketHandler(handler)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    return this;
  }

  /** Where clients reach this host. */
  URI play() {
    return URI.create("ws://127.0.0.1:" + server.actualPort() + "/play");
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the rogue host did not stop", e);
    }
  }
}
