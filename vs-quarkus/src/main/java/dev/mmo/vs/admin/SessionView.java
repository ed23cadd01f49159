package dev.mmo.vs.admin;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.bytes.Hex;
import dev.mmo.vs.session.SessionEntity;
import dev.mmo.vs.session.SessionStatus;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A session as the admin API shows it. */
@Schema(name = "Session", description = "A session the VS admitted.")
public record SessionView(
    @Schema(description = "16 bytes, lowercase hex.") String id,
    String gsId,
    @Schema(description = "The pinned ephemeral Ed25519 session key: 32 bytes, lowercase hex.")
        String sessionKey,
    @Schema(description = "The pinned software hash: 32 bytes, lowercase hex.") String swHash,
    @Schema(description = "The attested JoinAccept the session was admitted with, lowercase hex.")
        String joinAccept,
    SessionStatus status,
    Instant createdAt,
    @Schema(description = "Null while ACTIVE.") Instant endedAt,
    @Schema(description = "The reason code that ended it (docs/protocol.md section 13), or null.")
        Integer endReason,
    @Schema(description = "The name of endReason, e.g. OPERATOR_ACTION, or null.")
        String endReasonName) {

  static SessionView of(SessionEntity s) {
    Reason reason = s.endReason == null ? null : Reason.fromCode(s.endReason);
    return new SessionView(
        Hex.encode(s.id),
        s.gsId,
        Hex.encode(s.sessionKey),
        Hex.encode(s.swHash),
        Hex.encode(s.joinAccept),
        s.status,
        s.createdAt,
        s.endedAt,
        s.endReason,
        reason == null ? null : reason.name());
  }
}
