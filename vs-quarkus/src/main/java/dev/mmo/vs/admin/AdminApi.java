package dev.mmo.vs.admin;

import dev.mmo.vs.admin.problem.Problem;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The admin API's OpenAPI description (served at {@code /q/openapi}), with the error responses
 * every operation refers to. Every error is RFC 9457 problem details with a stable {@code code}.
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "mmo validation server: admin API",
            version = "1",
            description =
                "Enroll game servers, manage their software allow-lists, revoke them, read the"
                    + " audit trail (sessions, receipts, revocations with evidence), verify claims"
                    + " against what the VS notarized, and fetch the VS trust anchors. JWT bearer tokens:"
                    + " role `operator` reads, role `admin` reads and writes; /api/trust-anchors"
                    + " is public. Byte strings are lowercase hex; whole protocol frames are standard"
                    + " base64 with padding. Errors are"
                    + " application/problem+json (RFC 9457) with a stable `code`. OPTIONS is"
                    + " not supported: 405 METHOD_NOT_ALLOWED on every path."),
    components =
        @Components(
            responses = {
              @APIResponse(
                  name = AdminApi.BAD_REQUEST,
                  description =
                      "Malformed input; `code` says which part. Bodies are read strictly: an"
                          + " unknown field or a value of the wrong JSON type is INVALID_BODY, a"
                          + " field named twice DUPLICATE_FIELD; a query parameter named twice is"
                          + " DUPLICATE_QUERY_PARAMETER.",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = Problem.class))),
              @APIResponse(
                  name = AdminApi.UNAUTHORIZED,
                  description =
                      "No bearer token, or one that is invalid, expired, issued in the future,"
                          + " or has a malformed claim (UNAUTHORIZED).",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = Problem.class))),
              @APIResponse(
                  name = AdminApi.FORBIDDEN,
                  description = "The token lacks the role this operation needs (FORBIDDEN).",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = Problem.class))),
              @APIResponse(
                  name = AdminApi.NOT_FOUND,
                  description = "The named resource does not exist; `code` says which.",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = Problem.class))),
              @APIResponse(
                  name = AdminApi.CONFLICT,
                  description = "The change conflicts with the current state; `code` says how.",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = Problem.class))),
              @APIResponse(
                  name = AdminApi.TOO_LARGE,
                  description =
                      "The request asks for more than one request may (TOO_MANY_TIPS,"
                          + " TOO_MANY_INPUTS, 413; TOO_MANY_RECEIPTS, 422); a body over"
                          + " quarkus.http.limits.max-body-size is PAYLOAD_TOO_LARGE (413), whether"
                          + " or not it was sent with Content-Length.",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = Problem.class))),
              @APIResponse(
                  name = AdminApi.UNAVAILABLE,
                  description =
                      "The VS has not logged in to its HSM since it started"
                          + " (TRUST_ANCHORS_UNAVAILABLE); retry later.",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = Problem.class)))
            }))
public class AdminApi extends Application {
  static final String BAD_REQUEST = "BadRequest";
  static final String UNAUTHORIZED = "Unauthorized";
  static final String FORBIDDEN = "Forbidden";
  static final String NOT_FOUND = "NotFound";
  static final String CONFLICT = "Conflict";
  static final String TOO_LARGE = "TooLarge";
  static final String UNAVAILABLE = "Unavailable";
}
