package dev.mmo.vs.session;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A session the VS admitted, with the JoinAccept that pinned it (table {@code sessions}): the
 * durable record; the live state is in Redis.
 *
 * <p>To record a new session: {@code SessionEntity.active(...).persist()} inside {@code
 * Panache.withTransaction}.
 */
@Entity
@Table(name = "sessions")
public class SessionEntity extends PanacheEntityBase {
  /** The 16-byte session id. */
  @Id public byte[] id;

  @Column(name = "gs_id", nullable = false)
  public String gsId;

  @Column(name = "session_key", nullable = false)
  public byte[] sessionKey;

  @Column(name = "sw_hash", nullable = false)
  public byte[] swHash;

  /** The attested JoinAccept as it was sent to the game server. */
  @Column(name = "join_accept", nullable = false)
  public byte[] joinAccept;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public SessionStatus status;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "ended_at")
  public Instant endedAt;

  /** The {@link Reason} code that ended the session, if one did. */
  @Column(name = "end_reason")
  public Integer endReason;

  /** A session just admitted by {@code joinAccept}. */
  public static SessionEntity active(
      SessionId id,
      GsId gsId,
      Ed25519PublicKey sessionKey,
      Hash swHash,
      byte[] joinAccept,
      Instant createdAt) {
    SessionEntity session = new SessionEntity();
    session.id = id.bytes().toByteArray();
    session.gsId = gsId.value();
    session.sessionKey = sessionKey.bytes().toByteArray();
    session.swHash = swHash.toByteArray();
    session.joinAccept = joinAccept.clone();
    session.status = SessionStatus.ACTIVE;
    // PostgreSQL keeps microseconds: truncate so the entity reads the same before and after a save.
    session.createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
    return session;
  }

  public static Uni<SessionEntity> findBySessionId(SessionId id) {
    return findById(id.bytes().toByteArray());
  }

  /**
   * Sets every ACTIVE session of {@code gsId} to REVOKED with {@code reason}, ended at {@code at};
   * returns how many there were. Runs inside the caller's transaction.
   */
  public static Uni<Integer> revokeActiveOf(GsId gsId, Reason reason, Instant at) {
    return update(
        "status = ?1, endedAt = ?2, endReason = ?3 where gsId = ?4 and status = ?5",
        SessionStatus.REVOKED,
        at.truncatedTo(ChronoUnit.MICROS),
        reason.code(),
        gsId.value(),
        SessionStatus.ACTIVE);
  }

  public SessionId sessionId() {
    return new SessionId(Bytes.copyOf(id));
  }

  public GsId gameServer() {
    return new GsId(gsId);
  }
}
