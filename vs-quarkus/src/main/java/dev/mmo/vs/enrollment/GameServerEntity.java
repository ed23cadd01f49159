package dev.mmo.vs.enrollment;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.wire.GsId;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** An enrolled game server (table {@code game_servers}): its long-term key and its status. */
@Entity
@Table(name = "game_servers")
public class GameServerEntity extends PanacheEntityBase {
  @Id public String id;

  @Column(name = "public_key", nullable = false)
  public byte[] publicKey;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public GameServerStatus status;

  @Column(name = "enrolled_at", nullable = false)
  public Instant enrolledAt;

  @Column(name = "revoked_at")
  public Instant revokedAt;

  @Column(name = "revoke_reason")
  public String revokeReason;

  /** A newly enrolled, active game server. */
  public static GameServerEntity enrolled(GsId id, Ed25519PublicKey publicKey, Instant at) {
    GameServerEntity gs = new GameServerEntity();
    gs.id = id.value();
    gs.publicKey = publicKey.bytes().toByteArray();
    gs.status = GameServerStatus.ACTIVE;
    // PostgreSQL keeps microseconds: truncate so the entity reads the same before and after a save.
    gs.enrolledAt = at.truncatedTo(ChronoUnit.MICROS);
    return gs;
  }

  public GsId gsId() {
    return new GsId(id);
  }

  public Ed25519PublicKey key() {
    return Ed25519PublicKey.of(publicKey);
  }

  public boolean isRevoked() {
    return status == GameServerStatus.REVOKED;
  }

  /** Marks the game server revoked; the caller has checked that it was active. */
  public void revoke(Instant at, String reason) {
    status = GameServerStatus.REVOKED;
    revokedAt = at.truncatedTo(ChronoUnit.MICROS);
    revokeReason = requireNonNull(reason, "reason");
  }
}
