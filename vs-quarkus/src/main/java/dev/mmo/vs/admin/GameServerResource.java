package dev.mmo.vs.admin;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/** Game servers: enrollment, allow-lists, revocation. Translates HTTP only; see the service. */
@Path("/api/game-servers")
@Tag(name = "Game servers", description = "Enrolled game servers and their software allow-lists.")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@CustomDeserialization(StrictJson.class)
public class GameServerResource {
  private static final String GS_ID =
      "The game server id: 1..64 characters of [a-z0-9._-], the first a letter or digit.";

  private final GameServerAdminService service;
  private final AdminConfig config;

  public GameServerResource(GameServerAdminService service, AdminConfig config) {
    this.service = service;
    this.config = config;
  }

  @POST
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Enroll a game server",
      description =
          "Admits a game server by its long-term Ed25519 key, with the software it may run. Ids"
              + " are never reused, not even after a revocation. Codes: INVALID_BODY, DUPLICATE_FIELD,"
              + " INVALID_GS_ID, INVALID_PUBLIC_KEY, BAD_KEY, INVALID_SW_HASH, DUPLICATE_SW_HASH,"
              + " TOO_MANY_SW_HASHES (400); GAME_SERVER_EXISTS (409).")
  @APIResponse(responseCode = "201", description = "Enrolled; Location names the game server.")
  @APIResponse(responseCode = "400", ref = AdminApi.BAD_REQUEST)
  @APIResponse(responseCode = "401", ref = AdminApi.UNAUTHORIZED)
  @APIResponse(responseCode = "403", ref = AdminApi.FORBIDDEN)
  @APIResponse(responseCode = "409", ref = AdminApi.CONFLICT)
  public Uni<RestResponse<GameServerView>> enroll(
      AdminRequests.Enroll request, @Context UriInfo uri) {
    AdminRequests.Enroll body = AdminInput.body(request);
    return service
        .enroll(
            AdminInput.gsId(body.id()),
            AdminInput.publicKey(body.publicKey()),
            AdminInput.swHashes(body.allowedSoftware()))
        .map(
            view ->
                RestResponse.ResponseBuilder.<GameServerView>created(
                        uri.getAbsolutePathBuilder().path(view.id()).build())
                    .entity(view)
                    .build());
  }

  @GET
  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  @Operation(summary = "List game servers", description = "By id. Codes: INVALID_PAGE (400).")
  @APIResponse(responseCode = "200", description = "One page of game servers.")
  @APIResponse(responseCode = "400", ref = AdminApi.BAD_REQUEST)
  @APIResponse(responseCode = "401", ref = AdminApi.UNAUTHORIZED)
  @APIResponse(responseCode = "403", ref = AdminApi.FORBIDDEN)
  public Uni<PageView<GameServerView>> list(
      @Parameter(description = "Items per page: 1 to mmo.admin.max-page-size (200); default 50.")
          @RestQuery
          String limit,
      @Parameter(description = "Items to skip: 0 to mmo.admin.max-offset (10000); default 0.")
          @RestQuery
          String offset) {
    return service.list(AdminInput.page(limit, offset, config));
  }

  @GET
  @Path("{id}")
  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  @Operation(
      summary = "Get a game server",
      description = "Codes: INVALID_GS_ID (400); GAME_SERVER_NOT_FOUND (404).")
  @APIResponse(responseCode = "200", description = "The game server.")
  @APIResponse(responseCode = "400", ref = AdminApi.BAD_REQUEST)
  @APIResponse(responseCode = "401", ref = AdminApi.UNAUTHORIZED)
  @APIResponse(responseCode = "403", ref = AdminApi.FORBIDDEN)
  @APIResponse(responseCode = "404", ref = AdminApi.NOT_FOUND)
  public Uni<GameServerView> get(@Parameter(description = GS_ID) @RestPath String id) {
    return service.get(AdminInput.gsId(id));
  }

  @POST
  @Path("{id}/software")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Allow a software hash",
      description =
          "Puts a build on the allow-list of an active game server; it is checked at join."
              + " Answers with the updated game server. Codes: INVALID_BODY, DUPLICATE_FIELD, INVALID_GS_ID,"
              + " INVALID_SW_HASH (400); GAME_SERVER_NOT_FOUND (404); SOFTWARE_EXISTS,"
              + " SOFTWARE_LIMIT_REACHED, GAME_SERVER_REVOKED (409).")
  @APIResponse(responseCode = "201", description = "Allowed; Location names the allow-list entry.")
  @APIResponse(responseCode = "400", ref = AdminApi.BAD_REQUEST)
  @APIResponse(responseCode = "401", ref = AdminApi.UNAUTHORIZED)
  @APIResponse(responseCode = "403", ref = AdminApi.FORBIDDEN)
  @APIResponse(responseCode = "404", ref = AdminApi.NOT_FOUND)
  @APIResponse(responseCode = "409", ref = AdminApi.CONFLICT)
  public Uni<RestResponse<GameServerView>> allowSoftware(
      @Parameter(description = GS_ID) @RestPath String id,
      AdminRequests.AddSoftware request,
      @Context UriInfo uri) {
    GsId gsId = AdminInput.gsId(id);
    Hash swHash = AdminInput.swHash(AdminInput.body(request).swHash());
    return service
        .allowSoftware(gsId, swHash)
        .map(
            view ->
                RestResponse.ResponseBuilder.<GameServerView>created(
                        uri.getAbsolutePathBuilder().path(swHash.hex()).build())
                    .entity(view)
                    .build());
  }

  @DELETE
  @Path("{id}/software/{swHash}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Disallow a software hash",
      description =
          "Takes a build off the allow-list of an active game server. Sessions already running"
              + " it go on; new joins with it are refused. Codes: INVALID_GS_ID, INVALID_SW_HASH"
              + " (400); GAME_SERVER_NOT_FOUND, SOFTWARE_NOT_FOUND (404); GAME_SERVER_REVOKED"
              + " (409).")
  @APIResponse(responseCode = "204", description = "Removed.")
  @APIResponse(responseCode = "400", ref = AdminApi.BAD_REQUEST)
  @APIResponse(responseCode = "401", ref = AdminApi.UNAUTHORIZED)
  @APIResponse(responseCode = "403", ref = AdminApi.FORBIDDEN)
  @APIResponse(responseCode = "404", ref = AdminApi.NOT_FOUND)
  @APIResponse(responseCode = "409", ref = AdminApi.CONFLICT)
  public Uni<Void> disallowSoftware(
      @Parameter(description = GS_ID) @RestPath String id,
      @Parameter(description = "The software hash, 64 lowercase hex characters.") @RestPath
          String swHash) {
    return service.disallowSoftware(AdminInput.gsId(id), AdminInput.swHash(swHash));
  }

  @POST
  @Path("{id}/revoke")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Revoke a game server",
      description =
          "Final. Records the revocation (reason code 53 OPERATOR_ACTION) with the caller and"
              + " the stated reason as evidence, ends the game server's active sessions as"
              + " REVOKED, and stops their tickets at once. Codes: INVALID_BODY, DUPLICATE_FIELD, INVALID_GS_ID,"
              + " INVALID_REASON (400); GAME_SERVER_NOT_FOUND (404); GAME_SERVER_REVOKED (409).")
  @APIResponse(responseCode = "200", description = "Revoked; the updated game server.")
  @APIResponse(responseCode = "400", ref = AdminApi.BAD_REQUEST)
  @APIResponse(responseCode = "401", ref = AdminApi.UNAUTHORIZED)
  @APIResponse(responseCode = "403", ref = AdminApi.FORBIDDEN)
  @APIResponse(responseCode = "404", ref = AdminApi.NOT_FOUND)
  @APIResponse(responseCode = "409", ref = AdminApi.CONFLICT)
  public Uni<GameServerView> revoke(
      @Parameter(description = GS_ID) @RestPath String id,
      AdminRequests.Revoke request,
      @Context SecurityContext caller) {
    GsId gsId = AdminInput.gsId(id);
    String reason = AdminInput.reason(AdminInput.body(request).reason());
    return service.revoke(gsId, reason, caller.getUserPrincipal().getName());
  }
}
