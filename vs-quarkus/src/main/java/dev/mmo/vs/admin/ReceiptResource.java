package dev.mmo.vs.admin;

import dev.mmo.protocol.wire.SessionId;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * A session's notarized receipts, and the check of claims against them. Read-only, so operators may
 * call every operation, the verification too. Translates HTTP only; see the service.
 */
@Path("/api/sessions/{id}/receipts")
@Tag(
    name = "Audit",
    description = "What the VS notarized and revoked, and checks of claims against it.")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
public class ReceiptResource {
  private static final String SESSION_ID = "The session id: 16 bytes, 32 lowercase hex characters.";

  private final ReceiptAdminService service;
  private final AdminConfig config;

  public ReceiptResource(ReceiptAdminService service, AdminConfig config) {
    this.service = service;
    this.config = config;
  }

  @GET
  @Operation(
      summary = "List a session's receipts",
      description =
          "Every ProtectedReceipt the VS released for the session, by gsCounter, with the attested"
              + " receipt frame and the signed TranscriptDigest frame (base64) for offline"
              + " checks. Codes: INVALID_SESSION_ID, INVALID_GS_COUNTER, INVALID_PAGE (400);"
              + " SESSION_NOT_FOUND (404).")
  @APIResponse(responseCode = "200", description = "One page of receipts.")
  @APIResponse(responseCode = "400", ref = AdminApi.BAD_REQUEST)
  @APIResponse(responseCode = "401", ref = AdminApi.UNAUTHORIZED)
  @APIResponse(responseCode = "403", ref = AdminApi.FORBIDDEN)
  @APIResponse(responseCode = "404", ref = AdminApi.NOT_FOUND)
  public Uni<PageView<ReceiptView>> list(
      @Parameter(description = SESSION_ID) @RestPath String id,
      @Parameter(
              description =
                  "Only receipts at this gsCounter or above: to read past the deepest offset.")
          @RestQuery
          String fromCounter,
      @Parameter(description = "Items per page: 1 to mmo.admin.max-page-size (200); default 50.")
          @RestQuery
          String limit,
      @Parameter(description = "Items to skip: 0 to mmo.admin.max-offset (10000); default 0.")
          @RestQuery
          String offset) {
    return service.list(
        AdminInput.sessionId(id),
        AdminInput.fromCounter(fromCounter),
        AdminInput.page(limit, offset, config));
  }

  @POST
  @Path("verify")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Verify claims against a session's receipts",
      description =
          "Either `tips`: each receipt tip claimed at a counter is NOTARIZED, MISMATCH (another"
              + " tip was notarized there; notarizedTip says which) or NOT_NOTARIZED. Or"
              + " `transcript`: the session's ClientInput frames in the order the game server"
              + " applied them are folded (docs/protocol.md 7.2) and every notarized receipt, by"
              + " gsCounter, must be the fold of a prefix no shorter than the previous receipt's:"
              + " MATCHED (with inputCount) or NOT_REPRODUCED. `consistent` is true only when"
              + " everything checked out. At most mmo.admin.max-verify-items (10000) tips or"
              + " inputs. Codes: INVALID_SESSION_ID, INVALID_BODY, DUPLICATE_FIELD, INVALID_GS_COUNTER,"
              + " INVALID_RECEIPT_TIP, INVALID_TRANSCRIPT (400); SESSION_NOT_FOUND (404);"
              + " TOO_MANY_TIPS, TOO_MANY_INPUTS, PAYLOAD_TOO_LARGE (413); TOO_MANY_RECEIPTS"
              + " (422).")
  @APIResponse(responseCode = "200", description = "The result of every check.")
  @APIResponse(responseCode = "400", ref = AdminApi.BAD_REQUEST)
  @APIResponse(responseCode = "401", ref = AdminApi.UNAUTHORIZED)
  @APIResponse(responseCode = "403", ref = AdminApi.FORBIDDEN)
  @APIResponse(responseCode = "404", ref = AdminApi.NOT_FOUND)
  @APIResponse(responseCode = "413", ref = AdminApi.TOO_LARGE)
  @APIResponse(responseCode = "422", ref = AdminApi.TOO_LARGE)
  public Uni<ReceiptVerificationView> verify(
      @Parameter(description = SESSION_ID) @RestPath String id,
      @RequestBody(
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema = @Schema(implementation = AdminRequests.VerifyReceipts.class)))
          byte[] body) {
    SessionId session = AdminInput.sessionId(id);
    // Charged to the verifications' share before it was read (AdminLimits); read on the admin
    // worker (VerifyClaims).
    return service.verify(session, body);
  }
}
