package dev.mmo.vs.admin;

import dev.mmo.vs.admin.problem.Problem;
import dev.mmo.vs.admin.problem.ProblemCode;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The admin API answers OPTIONS with 405 METHOD_NOT_ALLOWED. JAX-RS would answer it itself with an
 * Allow header that lists the methods of every path of the resource class (POST and DELETE on
 * {@code /api/game-servers/{id}}, which has neither), to anyone, without a token. The API serves no
 * browsers (no CORS), and its methods are in the OpenAPI description.
 */
public class OptionsRefusal {
  @ServerRequestFilter(preMatching = true)
  public RestResponse<Problem> refuseOptions(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (!HttpMethod.OPTIONS.equals(request.getMethod())
        || !(path.equals("/api") || path.startsWith("/api/"))) {
      return null;
    }
    ProblemCode code = ProblemCode.METHOD_NOT_ALLOWED;
    return RestResponse.ResponseBuilder.<Problem>create(code.status())
        .entity(Problem.of(code, "the admin API does not answer OPTIONS; see /q/openapi"))
        .type(Problem.MEDIA_TYPE)
        .build();
  }
}
