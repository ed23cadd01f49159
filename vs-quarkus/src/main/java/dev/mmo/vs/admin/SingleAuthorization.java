package dev.mmo.vs.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmo.vs.admin.problem.Problem;
import dev.mmo.vs.admin.problem.ProblemCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses an admin request with more than one Authorization header with 401 UNAUTHORIZED before any
 * of them is verified: the VS would use the first, while a proxy in front might have looked at
 * another. The header's twin of a field named twice.
 */
@ApplicationScoped
public class SingleAuthorization {
  /** Before authentication and the HTTP layer's own checks (which start at order -2). */
  private static final int ORDER = -3;

  private final byte[] refusal;

  public SingleAuthorization(ObjectMapper json) throws JsonProcessingException {
    this.refusal =
        json.writeValueAsBytes(
            Problem.of(ProblemCode.UNAUTHORIZED, "a request carries one Authorization header"));
  }

  void install(@Observes Router router) {
    router.route("/api/*").order(ORDER).handler(this::check);
  }

  private void check(RoutingContext context) {
    if (context.request().headers().getAll(HttpHeaders.AUTHORIZATION).size() <= 1) {
      context.next();
      return;
    }
    context
        .response()
        .setStatusCode(ProblemCode.UNAUTHORIZED.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .putHeader("WWW-Authenticate", "Bearer error=\"invalid_request\"")
        .end(Buffer.buffer(refusal));
  }
}
