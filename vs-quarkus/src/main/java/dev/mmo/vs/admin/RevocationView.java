package dev.mmo.vs.admin;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.bytes.Hex;
import dev.mmo.vs.revocation.RevocationEntity;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A revocation as the admin API shows it, with its evidence. */
@Schema(name = "Revocation", description = "A revocation decision and what it rests on.")
public record RevocationView(
    @Schema(description = "The audit trail's id of the decision.") long id,
    @Schema(description = "The reason code (docs/protocol.md section 13).") int reasonCode,
    @Schema(
            description =
                "The name of reasonCode, e.g. SPEED_VIOLATION; null for a code unknown"
                    + " to this VS.")
        String reasonName,
    Instant decidedAt,
    @Schema(description = "The game server revoked, or whose session was.") String gsId,
    @Schema(
            description =
                "The session revoked: 16 bytes, lowercase hex; null when the whole game"
                    + " server was.")
        String sessionId,
    @Schema(description = "Unique per decision the VS made; null for an operator's revocation.")
        UUID recordId,
    @Schema(description = "The evidence as recorded: a JSON object, or null.")
        Map<String, Object> evidence) {

  static RevocationView of(RevocationEntity r) {
    Reason reason = Reason.fromCode(r.reasonCode);
    return new RevocationView(
        r.id,
        r.reasonCode,
        reason == null ? null : reason.name(),
        r.decidedAt,
        r.gsId,
        r.sessionId == null ? null : Hex.encode(r.sessionId),
        r.recordId,
        r.evidence);
  }
}
