package dev.mmo.vs.revocation;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One revocation decision with its evidence (table {@code revocations}): of a whole game server, of
 * one session, or of a session named together with its game server.
 */
@Entity
@Table(name = "revocations")
public class RevocationEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "session_id")
  public byte[] sessionId;

  @Column(name = "gs_id")
  public String gsId;

  /** The {@link Reason} code, 1..999. */
  @Column(name = "reason_code", nullable = false)
  public int reasonCode;

  /**
   * What the decision rests on (jsonb), e.g. the operator and their stated reason: JSON values only
   * (strings, numbers, booleans, lists, maps).
   */
  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, Object> evidence;

  @Column(name = "decided_at", nullable = false)
  public Instant decidedAt;

  /** Set on revocations the VS decides, so a record delivered twice is written once. */
  @Column(name = "record_id", unique = true)
  public java.util.UUID recordId;

  /** The revocation of a whole game server. */
  public static RevocationEntity ofGameServer(
      GsId gsId, Reason reason, Map<String, Object> evidence, Instant decidedAt) {
    return create(null, gsId, reason, evidence, decidedAt);
  }

  /** The revocation of one session of {@code gsId}. */
  public static RevocationEntity ofSession(
      SessionId sessionId,
      GsId gsId,
      Reason reason,
      Map<String, Object> evidence,
      Instant decidedAt) {
    return create(sessionId.bytes().toByteArray(), gsId, reason, evidence, decidedAt);
  }

  private static RevocationEntity create(
      byte[] sessionId, GsId gsId, Reason reason, Map<String, Object> evidence, Instant decidedAt) {
    RevocationEntity revocation = new RevocationEntity();
    revocation.sessionId = sessionId;
    revocation.gsId = gsId.value();
    revocation.reasonCode = reason.code();
    revocation.evidence = evidence == null ? null : new LinkedHashMap<>(evidence);
    // PostgreSQL keeps microseconds: truncate so the entity reads the same before and after a save.
    revocation.decidedAt = decidedAt.truncatedTo(ChronoUnit.MICROS);
    return revocation;
  }
}
