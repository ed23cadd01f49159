package dev.mmo.vs.admin.problem;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An error of the admin API as RFC 9457 problem details, plus a stable machine-readable code. */
@Schema(name = "Problem", description = "RFC 9457 problem details (application/problem+json).")
public record Problem(
    @Schema(description = "A URN naming the problem type.", example = "urn:mmo:problem:bad-key")
        String type,
    @Schema(description = "A short summary of the problem type.") String title,
    @Schema(description = "The HTTP status code.", example = "400") int status,
    @Schema(description = "What went wrong with this request.") String detail,
    @Schema(description = "Stable machine-readable code; branch on this.", example = "BAD_KEY")
        String code) {
  public static final String MEDIA_TYPE = "application/problem+json";

  public static Problem of(ProblemCode code, String detail) {
    return new Problem(code.type(), code.title(), code.status(), detail, code.name());
  }
}
