package dev.mmo.gs.play;

import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Challenge;
import dev.mmo.protocol.wire.ClientHello;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ServerHello;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.WorldSnapshot;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A plain Vert.x WebSocket client speaking the protocol with {@code protocol/}, for tests. */
final class TestClient {
  static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final SecureRandom RANDOM = new SecureRandom();

  final Ed25519KeyPair key;
  private final int port;
  // Held so that the client is not closed when it becomes unreachable.
  private final WebSocketClient client;
  private final WebSocket ws;
  private final LinkedBlockingQueue<Frame> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private long nonce;

  private TestClient(Ed25519KeyPair key, int port, WebSocketClient client, WebSocket ws) {
    this.key = key;
    this.port = port;
    this.client = client;
    this.ws = ws;
    ws.binaryMessageHandler(
        b -> {
          try {
            received.add(Codec.decode(b.getBytes()));
          } catch (Rejection e) {
            closed.completeExceptionally(new AssertionError("server sent a bad frame: " + e));
          }
        });
    ws.closeHandler(
        v -> closed.complete(ws.closeStatusCode() == null ? -1 : (int) ws.closeStatusCode()));
  }

  static TestClient connect(Vertx vertx, int port) throws Exception {
    return connect(vertx, port, Ed25519KeyPair.generate(RANDOM));
  }

  static TestClient connect(Vertx vertx, int port, Ed25519KeyPair key) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws =
        client
            .connect(
                new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/play"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return new TestClient(key, port, client, ws);
  }

  int port() {
    return port;
  }

  Ed25519PublicKey publicKey() {
    return key.publicKey();
  }

  void send(byte[] frame) {
    ws.writeBinaryMessage(Buffer.buffer(frame));
  }

  void sendText(String text) {
    ws.writeTextMessage(text);
  }

  Signed<ClientHello> hello(GsId gsId, long timeMs) {
    return Signed.sign(
        new ClientHello(key.publicKey(), Challenge.random(RANDOM), timeMs, gsId), key);
  }

  /** Sends a hello and waits for the ServerHello. */
  Signed<ServerHello> handshake(GsId gsId, long timeMs) throws Exception {
    send(Codec.encode(hello(gsId, timeMs)));
    return next(ServerHello.class);
  }

  /** A signed input with the next nonce, naming {@code ticket}. */
  byte[] input(SessionId session, Attested<PlayTicket> ticket, Vec2 move) {
    return input(session, ticket, ++nonce, move, 0);
  }

  byte[] input(SessionId session, Attested<PlayTicket> ticket, long n, Vec2 move, int actions) {
    ClientInput body =
        new ClientInput(
            session,
            ticket.statement().counter(),
            Hashes.statementHash(ticket.statement()),
            n,
            move,
            actions);
    return Codec.encode(Signed.sign(body, key));
  }

  /** The next frame whose body or statement is a {@code type}, skipping the others. */
  @SuppressWarnings("unchecked")
  <F extends Frame> F next(Class<?> type) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Frame f = received.poll(100, TimeUnit.MILLISECONDS);
      if (f == null) {
        if (closed.isDone()) {
          throw new AssertionError("closed with " + closed.get() + " while waiting for " + type);
        }
        continue;
      }
      if (f instanceof Signed<?> s && type.isInstance(s.body())) {
        return (F) f;
      }
      if (f instanceof Attested<?> a && type.isInstance(a.statement())) {
        return (F) f;
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + TIMEOUT);
  }

  /** The next snapshot that satisfies {@code condition}. */
  Signed<WorldSnapshot> snapshot(Predicate<WorldSnapshot> condition) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Signed<WorldSnapshot> s = next(WorldSnapshot.class);
      if (condition.test(s.body())) {
        return s;
      }
    }
    throw new AssertionError("no matching snapshot in " + TIMEOUT);
  }

  /** This client's position in the next snapshot that has it. */
  Vec2 position() throws Exception {
    return positionOf(snapshot(s -> find(s, publicKey()).isPresent()).body(), publicKey());
  }

  static Optional<Vec2> find(WorldSnapshot s, Ed25519PublicKey player) {
    return s.positions().stream()
        .filter(p -> p.player().equals(player))
        .map(PlayerPosition::position)
        .findFirst();
  }

  static Vec2 positionOf(WorldSnapshot s, Ed25519PublicKey player) {
    return find(s, player).orElseThrow();
  }

  /** The close status the server sent. */
  int awaitClose() throws Exception {
    return closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  boolean isClosed() {
    return closed.isDone();
  }

  void close() {
    ws.close().onComplete(v -> client.close());
  }
}
