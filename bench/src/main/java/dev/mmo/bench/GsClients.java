package dev.mmo.bench;

import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.wire.Challenge;
import dev.mmo.protocol.wire.ClientHello;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ServerHello;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.world.Vec2;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client side of {@link GsMemory} and {@link GsLoad}, in its own JVM: {@code n} clients each
 * complete the handshake with {@code 127.0.0.1:port/play} and send one input, then stay connected,
 * reading and dropping snapshots. Prints {@code ready} when all are in. With a third argument
 * {@code m}, each client also signs {@code m} more inputs before that, and sends them as fast as
 * its socket takes them when the line {@code go} arrives on standard input. Any other line, or the
 * end of the input, ends it.
 */
public final class GsClients {
  private GsClients() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int n = Integer.parseInt(args[1]);
    int m = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    Vertx vertx = Vertx.vertx();
    WebSocketClient client =
        vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(n + 10));
    SecureRandom random = new SecureRandom();
    List<WebSocket> sockets = new ArrayList<>();
    List<byte[][]> inputs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Ed25519KeyPair key = Ed25519KeyPair.generate(random);
      Joined joined = join(client, port, key, random).await(30, TimeUnit.SECONDS);
      sockets.add(joined.ws());
      inputs.add(sign(joined, key, m));
    }
    System.out.println("ready");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if ("go".equals(in.readLine())) {
      for (int i = 0; i < n; i++) {
        WebSocket ws = sockets.get(i);
        byte[][] frames = inputs.get(i);
        vertx.runOnContext(v -> pump(ws, frames, new int[] {0}));
      }
      in.readLine();
    }
    for (WebSocket ws : sockets) {
      ws.close();
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** Sends {@code frames} from {@code next[0]} on, as fast as the socket's write queue allows. */
  private static void pump(WebSocket ws, byte[][] frames, int[] next) {
    while (next[0] < frames.length && !ws.writeQueueFull()) {
      ws.writeBinaryMessage(Buffer.buffer(frames[next[0]++]));
    }
    if (next[0] < frames.length) {
      ws.drainHandler(v -> pump(ws, frames, next));
    }
  }

  /** Inputs 2 to m + 1 (input 1 went with the join), signed ahead of time. */
  private static byte[][] sign(Joined joined, Ed25519KeyPair key, int m) {
    byte[][] frames = new byte[m][];
    for (int i = 0; i < m; i++) {
      ClientInput input =
          new ClientInput(
              joined.session(),
              joined.ticket().counter(),
              Hashes.statementHash(joined.ticket()),
              i + 2,
              new Vec2(i % 300, -(i % 200)),
              0);
      frames[i] = Codec.encode(Signed.sign(input, key));
    }
    return frames;
  }

  private record Joined(WebSocket ws, SessionId session, PlayTicket ticket) {}

  private static Future<Joined> join(
      WebSocketClient client, int port, Ed25519KeyPair key, SecureRandom random) {
    return client
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/play"))
        .compose(
            ws -> {
              Promise<Joined> joined = Promise.promise();
              ws.binaryMessageHandler(
                  b -> {
                    if (joined.future().isComplete()) {
                      return;
                    }
                    try {
                      Signed<ServerHello> hello =
                          Codec.decodeSigned(b.getBytes(), ServerHello.class);
                      SessionId session = hello.body().joinAccept().statement().sessionId();
                      PlayTicket t =
                          hello.body().tickets().get(hello.body().tickets().size() - 1).statement();
                      ClientInput input =
                          new ClientInput(
                              session,
                              t.counter(),
                              Hashes.statementHash(t),
                              1,
                              new Vec2(100, 0),
                              0);
                      ws.writeBinaryMessage(Buffer.buffer(Codec.encode(Signed.sign(input, key))));
                      joined.complete(new Joined(ws, session, t));
                    } catch (Exception e) {
                      joined.tryFail(e);
                    }
                  });
              ws.closeHandler(v -> joined.tryFail("closed with " + ws.closeStatusCode()));
              ClientHello hello =
                  new ClientHello(
                      key.publicKey(),
                      Challenge.random(random),
                      System.currentTimeMillis(),
                      BenchSession.GS_ID);
              ws.writeBinaryMessage(Buffer.buffer(Codec.encode(Signed.sign(hello, key))));
              return joined.future();
            });
  }
}
