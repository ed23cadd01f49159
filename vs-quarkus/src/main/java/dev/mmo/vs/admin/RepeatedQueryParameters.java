package dev.mmo.vs.admin;

import dev.mmo.vs.admin.problem.Problem;
import dev.mmo.vs.admin.problem.ProblemCode;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses an admin request that names a query parameter twice ({@code ?limit=1&limit=200}) with 400
 * DUPLICATE_QUERY_PARAMETER: JAX-RS would take the first and drop the rest, so what a proxy or log
 * reads and what the VS did could differ. The query's twin of a field named twice in a body.
 */
public class RepeatedQueryParameters {
  @ServerRequestFilter
  public RestResponse<Problem> refuseRepeated(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (!(path.equals("/api") || path.startsWith("/api/"))) {
      return null;
    }
    for (Map.Entry<String, List<String>> parameter :
        request.getUriInfo().getQueryParameters().entrySet()) {
      if (parameter.getValue().size() > 1) {
        ProblemCode code = ProblemCode.DUPLICATE_QUERY_PARAMETER;
        return RestResponse.ResponseBuilder.<Problem>create(code.status())
            .entity(
                Problem.of(
                    code, "query parameter '" + parameter.getKey() + "' appears more than once"))
            .type(Problem.MEDIA_TYPE)
            .build();
      }
    }
    return null;
  }
}
