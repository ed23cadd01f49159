package dev.mmo.vs.admin;

import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** An operator's revocation of one session. Translates HTTP only; see the service. */
@Path("/api/sessions/{id}/revoke")
@Tag(name = "Sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@CustomDeserialization(StrictJson.class)
public class SessionRevocationResource {
  private final SessionRevocationService service;

  public SessionRevocationResource(SessionRevocationService service) {
    this.service = service;
  }

  @POST
  @Operation(
      summary = "Revoke a session",
      description =
          "Final. Stops the session's tickets and receipts at once, pushes a signed Revoke (reason"
              + " code 53 OPERATOR_ACTION) to its game server through whichever VS replica holds"
              + " the connection, and records the revocation with the caller and the stated reason"
              + " as evidence. Answers once the record is durable. Codes: INVALID_BODY, DUPLICATE_FIELD,"
              + " INVALID_SESSION_ID, INVALID_REASON (400); SESSION_NOT_FOUND (404);"
              + " SESSION_NOT_ACTIVE (409); SERVICE_UNAVAILABLE (503).")
  @APIResponse(responseCode = "200", description = "Revoked; the updated session.")
  @APIResponse(responseCode = "400", ref = AdminApi.BAD_REQUEST)
  @APIResponse(responseCode = "401", ref = AdminApi.UNAUTHORIZED)
  @APIResponse(responseCode = "403", ref = AdminApi.FORBIDDEN)
  @APIResponse(responseCode = "404", ref = AdminApi.NOT_FOUND)
  @APIResponse(responseCode = "409", ref = AdminApi.CONFLICT)
  public Uni<SessionView> revoke(
      @Parameter(description = "The session id: 16 bytes, 32 lowercase hex characters.") @RestPath
          String id,
      AdminRequests.Revoke request,
      @Context SecurityContext caller) {
    return service.revoke(
        AdminInput.sessionId(id),
        AdminInput.reason(AdminInput.body(request).reason()),
        caller.getUserPrincipal().getName());
  }
}
