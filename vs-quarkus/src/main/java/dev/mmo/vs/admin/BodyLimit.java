package dev.mmo.vs.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmo.vs.admin.problem.Problem;
import dev.mmo.vs.admin.problem.ProblemCode;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses an admin request whose Content-Length is over quarkus.http.limits.max-body-size with 413
 * PAYLOAD_TOO_LARGE as problem details, before any of the body is read. It runs just before the
 * HTTP layer's own check (route order -2), which would answer the same with an empty body. A body
 * without Content-Length that grows over the limit is still cut off by the HTTP layer (bare 413).
 */
@ApplicationScoped
public class BodyLimit {
  /** Just before Quarkus's own upload limit (RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT, -2). */
  private static final int ORDER = -3;

  private final long maxBodySize;
  private final byte[] tooLarge;

  public BodyLimit(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
      ObjectMapper json)
      throws JsonProcessingException {
    this.maxBodySize = maxBodySize.asLongValue();
    ProblemCode code = ProblemCode.PAYLOAD_TOO_LARGE;
    this.tooLarge =
        json.writeValueAsBytes(
            Problem.of(code, "the body is larger than " + maxBodySize.asLongValue() + " bytes"));
  }

  void install(@Observes Router router) {
    router.route("/api/*").order(ORDER).handler(this::check);
  }

  private void check(RoutingContext context) {
    String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null || !isOver(length)) {
      context.next();
      return;
    }
    // The body is not read: close the connection after the answer, as the HTTP layer does.
    HttpServerResponse response = context.response();
    response
        .setStatusCode(ProblemCode.PAYLOAD_TOO_LARGE.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
        .endHandler(ended -> context.request().connection().close());
    response.end(Buffer.buffer(tooLarge));
  }

  /** A malformed Content-Length is left to the HTTP layer, which refuses it. */
  private boolean isOver(String length) {
    try {
      return Long.parseLong(length) > maxBodySize;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
