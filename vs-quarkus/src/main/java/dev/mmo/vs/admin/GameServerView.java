package dev.mmo.vs.admin;

import dev.mmo.protocol.bytes.Hex;
import dev.mmo.vs.enrollment.AllowedSoftwareEntity;
import dev.mmo.vs.enrollment.GameServerEntity;
import dev.mmo.vs.enrollment.GameServerStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An enrolled game server as the admin API shows it. */
@Schema(name = "GameServer", description = "An enrolled game server.")
public record GameServerView(
    @Schema(
            description = "1..64 characters of [a-z0-9._-], the first a letter or digit.",
            example = "eu-west.gs-042")
        String id,
    @Schema(description = "Its long-term Ed25519 public key: 32 bytes, lowercase hex.")
        String publicKey,
    @Schema(description = "REVOKED is final.") GameServerStatus status,
    Instant enrolledAt,
    @Schema(description = "When it was revoked; null while ACTIVE.") Instant revokedAt,
    @Schema(description = "The operator's stated reason; null while ACTIVE.") String revokeReason,
    @Schema(description = "The software it may report at join, oldest first.")
        List<AllowedSoftwareView> allowedSoftware) {

  /** Oldest first, then by hash: the same order however the entries were loaded. */
  private static final Comparator<AllowedSoftwareView> ORDER =
      Comparator.comparing(AllowedSoftwareView::addedAt).thenComparing(AllowedSoftwareView::swHash);

  static GameServerView of(GameServerEntity gs, List<AllowedSoftwareEntity> software) {
    return new GameServerView(
        gs.id,
        Hex.encode(gs.publicKey),
        gs.status,
        gs.enrolledAt,
        gs.revokedAt,
        gs.revokeReason,
        software.stream().map(AllowedSoftwareView::of).sorted(ORDER).toList());
  }

  /** One entry of an allow-list. */
  @Schema(name = "AllowedSoftware", description = "A software hash on an allow-list.")
  public record AllowedSoftwareView(
      @Schema(description = "SHA-256 of the game server build: 32 bytes, lowercase hex.")
          String swHash,
      Instant addedAt) {
    static AllowedSoftwareView of(AllowedSoftwareEntity sw) {
      return new AllowedSoftwareView(Hex.encode(sw.swHash), sw.addedAt);
    }
  }
}
