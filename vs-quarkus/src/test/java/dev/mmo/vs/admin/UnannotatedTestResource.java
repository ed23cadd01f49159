package dev.mmo.vs.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * TEST ONLY: an endpoint whose author forgot its security annotation, to show that the VS denies
 * such an endpoint to everyone ({@code quarkus.security.jaxrs.deny-unannotated-endpoints}).
 */
@Path("/api/test-only/unannotated")
public class UnannotatedTestResource {
  @GET
  @Produces(MediaType.TEXT_PLAIN)
  @Operation(hidden = true)
  public String reached() {
    return "reached";
  }
}
