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
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client side of {@link GsMemory}, in its own JVM: {@code n} clients each complete the
 * handshake with {@code 127.0.0.1:port/play} and send one input, then stay connected, reading and
 * dropping snapshots, until a line arrives on standard input. Prints {@code ready} when all are in.
 */
public final class GsClients {
  private GsClients() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int n = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx();
    WebSocketClient client =
        vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(n + 10));
    SecureRandom random = new SecureRandom();
    List<WebSocket> sockets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sockets.add(
          join(client, port, Ed25519KeyPair.generate(random), random).await(30, TimeUnit.SECONDS));
    }
    System.out.println("ready");
    System.out.flush();
    System.in.read();
    for (WebSocket ws : sockets) {
      ws.close();
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private static Future<WebSocket> join(
      WebSocketClient client, int port, Ed25519KeyPair key, SecureRandom random) {
    return client
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/play"))
        .compose(
            ws -> {
              Promise<WebSocket> joined = Promise.promise();
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
                      joined.complete(ws);
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
