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
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Every revocation the audit trail holds, read-only. A session's own revocations are under {@link
 * SessionResource}. Translates HTTP only; see the service.
 */
@Path("/api/revocations")
@Tag(name = "Audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
public class RevocationResource {
  private final RevocationAdminService service;
  private final AdminConfig config;

  public RevocationResource(RevocationAdminService service, AdminConfig config) {
    this.service = service;
    this.config = config;
  }

  @GET
  @Operation(
      summary = "List revocations",
      description =
          "Newest first, with their evidence; optionally of one game server (itself and its"
              + " sessions) and with one reason. Codes: INVALID_GS_ID, INVALID_REASON_CODE,"
              + " INVALID_PAGE (400).")
  @APIResponse(responseCode = "200", description = "One page of revocations.")
  @APIResponse(responseCode = "400", ref = AdminApi.BAD_REQUEST)
  @APIResponse(responseCode = "401", ref = AdminApi.UNAUTHORIZED)
  @APIResponse(responseCode = "403", ref = AdminApi.FORBIDDEN)
  public Uni<PageView<RevocationView>> list(
      @Parameter(description = "Only this game server's revocations.") @RestQuery String gsId,
      @Parameter(
              description =
                  "Only revocations with this reason: its code (e.g. 50) or name (e.g."
                      + " SPEED_VIOLATION), docs/protocol.md section 13.")
          @RestQuery
          String reason,
      @Parameter(description = "Items per page: 1 to mmo.admin.max-page-size (200); default 50.")
          @RestQuery
          String limit,
      @Parameter(description = "Items to skip: 0 to mmo.admin.max-offset (10000); default 0.")
          @RestQuery
          String offset) {
    return service.list(
        gsId == null ? null : AdminInput.gsId(gsId),
        AdminInput.reasonFilter(reason),
        AdminInput.page(limit, offset, config));
  }
}
