package dev.mmo.vs.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy a test can cut and restore, to take PostgreSQL or RabbitMQ away from the VS under
 * test without stopping the machine's shared service. Listens on a free port of 127.0.0.1; each
 * accepted connection is piped to the target. {@link #cut()} closes every piped connection and
 * refuses new ones (they are accepted and closed at once) until {@link #restore()}.
 */
public final class TcpProxy implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 10;

  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;
  private final String targetHost;
  private final int targetPort;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean open = true;

  private TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(this::accept);
  }

  /** Starts a proxy to {@code targetHost:targetPort} on its own Vert.x instance. */
  public static TcpProxy start(String targetHost, int targetPort) {
    TcpProxy proxy = new TcpProxy(Vertx.vertx(), targetHost, targetPort);
    try {
      proxy
          .server
          .listen(0, "127.0.0.1")
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      proxy.close();
      throw new IllegalStateException("proxy did not start", e);
    }
    return proxy;
  }

  public int port() {
    return server.actualPort();
  }

  /** Closes every connection through the proxy and refuses new ones. */
  public void cut() {
    open = false;
    for (NetSocket socket : sockets) {
      socket.close();
    }
  }

  /** Accepts and pipes new connections again. */
  public void restore() {
    open = true;
  }

  private void accept(NetSocket in) {
    if (!open) {
      in.close();
      return;
    }
    in.pause();
    sockets.add(in);
    in.closeHandler(v -> sockets.remove(in));
    client
        .connect(targetPort, targetHost)
        .onSuccess(
            out -> {
              if (!open) {
                out.close();
                in.close();
                return;
              }
              sockets.add(out);
              out.closeHandler(v -> sockets.remove(out));
              // Each direction closes the other side when it ends.
              in.pipeTo(out);
              out.pipeTo(in);
            })
        .onFailure(e -> in.close());
  }

  @Override
  public void close() {
    cut();
    try {
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("proxy did not stop", e);
    }
  }
}
