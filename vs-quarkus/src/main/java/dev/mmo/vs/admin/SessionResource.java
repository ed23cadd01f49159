package dev.mmo.vs.admin;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The session audit trail, read-only. Translates HTTP only; see the service. */
@Path("/api/sessions")
@Tag(name = "Sessions", description = "Every session the VS admitted, from the audit trail.")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
public class SessionResource {
  private static final String SESSION_ID = "The session id: 16 bytes, 32 lowercase hex characters.";

  private final SessionAdminService service;
  private final RevocationAdminService revocations;
  private final AdminConfig config;

  public SessionResource(
      SessionAdminService service, RevocationAdminService revocations, AdminConfig config) {
    this.service = service;
    this.revocations = revocations;
    this.config = config;
  }

  @GET
  @Operation(
      summary = "List sessions",
      description =
          "Newest first, optionally of one game server and in one status. Codes: INVALID_GS_ID,"
              + " INVALID_STATUS, INVALID_PAGE (400).")
  @APIResponse(responseCode = "200", description = "One page of sessions.")
  @APIResponse(responseCode = "400", ref = AdminApi.BAD_REQUEST)
  @APIResponse(responseCode = "401", ref = AdminApi.UNAUTHORIZED)
  @APIResponse(responseCode = "403", ref = AdminApi.FORBIDDEN)
  public Uni<PageView<SessionView>> list(
      @Parameter(description = "Only this game server's sessions.") @RestQuery String gsId,
      @Parameter(description = "Only sessions in this status: ACTIVE, REVOKED or ENDED.") @RestQuery
          String status,
      @Parameter(description = "Items per page: 1 to mmo.admin.max-page-size (200); default 50.")
          @RestQuery
          String limit,
      @Parameter(description = "Items to skip: 0 to mmo.admin.max-offset (10000); default 0.")
          @RestQuery
          String offset) {
    return service.list(
        gsId == null ? null : AdminInput.gsId(gsId),
        AdminInput.sessionStatus(status),
        AdminInput.page(limit, offset, config));
  }

  @GET
  @Path("{id}")
  @Operation(
      summary = "Get a session",
      description = "Codes: INVALID_SESSION_ID (400); SESSION_NOT_FOUND (404).")
  @APIResponse(responseCode = "200", description = "The session.")
  @APIResponse(responseCode = "400", ref = AdminApi.BAD_REQUEST)
  @APIResponse(responseCode = "401", ref = AdminApi.UNAUTHORIZED)
  @APIResponse(responseCode = "403", ref = AdminApi.FORBIDDEN)
  @APIResponse(responseCode = "404", ref = AdminApi.NOT_FOUND)
  public Uni<SessionView> get(@Parameter(description = SESSION_ID) @RestPath String id) {
    return service.get(AdminInput.sessionId(id));
  }

  @GET
  @Path("{id}/revocations")
  @Tag(name = "Audit")
  @Operation(
      summary = "List a session's revocations",
      description =
          "Newest first, with their evidence. Codes: INVALID_SESSION_ID, INVALID_PAGE (400);"
              + " SESSION_NOT_FOUND (404).")
  @APIResponse(responseCode = "200", description = "One page of the session's revocations.")
  @APIResponse(responseCode = "400", ref = AdminApi.BAD_REQUEST)
  @APIResponse(responseCode = "401", ref = AdminApi.UNAUTHORIZED)
  @APIResponse(responseCode = "403", ref = AdminApi.FORBIDDEN)
  @APIResponse(responseCode = "404", ref = AdminApi.NOT_FOUND)
  public Uni<PageView<RevocationView>> revocations(
      @Parameter(description = SESSION_ID) @RestPath String id,
      @Parameter(description = "Items per page: 1 to mmo.admin.max-page-size (200); default 50.")
          @RestQuery
          String limit,
      @Parameter(description = "Items to skip: 0 to mmo.admin.max-offset (10000); default 0.")
          @RestQuery
          String offset) {
    return revocations.ofSession(AdminInput.sessionId(id), AdminInput.page(limit, offset, config));
  }
}
