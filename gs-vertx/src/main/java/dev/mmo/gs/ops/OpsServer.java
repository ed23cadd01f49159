package dev.mmo.gs.ops;

import static java.util.Objects.requireNonNull;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;

/**
 * The ops port: {@code GET /health/live} (200 while the process serves), {@code GET /health/ready}
 * (200 while {@code ready} holds, else 503) and {@code GET /metrics} (Prometheus text). Anything
 * else is 404, another method 405. It serves no game traffic.
 */
public final class OpsServer {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier ready;
  private HttpServer server;

  /**
   * @param ready whether the GS can serve clients now (blessed, holding a fresh ticket)
   */
  public OpsServer(
      Vertx vertx, String host, int port, PrometheusMeterRegistry registry, BooleanSupplier ready) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.host = requireNonNull(host, "host");
    this.port = port;
    this.registry = requireNonNull(registry, "registry");
    this.ready = requireNonNull(ready, "ready");
  }

  /** Starts listening; the future gives the bound port. */
  public Future<Integer> start() {
    server =
        vertx.createHttpServer(
            new HttpServerOptions().setMaxInitialLineLength(1024).setMaxHeaderSize(8192));
    return server.requestHandler(this::handle).listen(port, host).map(HttpServer::actualPort);
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    boolean known =
        "/health/live".equals(path) || "/health/ready".equals(path) || "/metrics".equals(path);
    if (!known) {
      reply(request, 404, "text/plain; charset=utf-8", "not found\n");
      return;
    }
    if (request.method() != HttpMethod.GET) {
      request.response().putHeader("allow", "GET");
      reply(request, 405, "text/plain; charset=utf-8", "method not allowed\n");
      return;
    }
    switch (path) {
      case "/health/live":
        reply(request, 200, "application/json", "{\"status\":\"UP\"}\n");
        break;
      case "/health/ready":
        if (ready.getAsBoolean()) {
          reply(request, 200, "application/json", "{\"status\":\"UP\"}\n");
        } else {
          reply(request, 503, "application/json", "{\"status\":\"DOWN\"}\n");
        }
        break;
      default:
        reply(request, 200, PROMETHEUS_TEXT, registry.scrape());
        break;
    }
  }

  private static void reply(HttpServerRequest request, int status, String type, String body) {
    request.response().setStatusCode(status).putHeader("content-type", type).end(body);
  }
}
