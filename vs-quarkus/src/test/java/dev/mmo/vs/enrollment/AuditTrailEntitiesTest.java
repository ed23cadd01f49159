package dev.mmo.vs.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.admin.AdminFixtures;
import dev.mmo.vs.admin.AuditTrail;
import dev.mmo.vs.revocation.RevocationEntity;
import dev.mmo.vs.session.SessionEntity;
import dev.mmo.vs.session.SessionStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The entities other VS code writes through: they round-trip every column of the V1 schema. */
@QuarkusTest
class AuditTrailEntitiesTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject AuditTrail auditTrail;

  private final GsId gsId = new GsId("gs-1");
  private Hash swHash;

  @BeforeEach
  void oneGameServer() {
    auditTrail.clear();
    String sw = AdminFixtures.newSwHash();
    AdminFixtures.enroll(gsId.value(), sw);
    swHash = Hash.fromHex(sw);
  }

  @Test
  void sessionEntity_persistedAndFound_keepsEveryColumn() throws Throwable {
    SessionId id = SessionId.random(RANDOM);
    var sessionKey = Ed25519KeyPair.generate(RANDOM).publicKey();
    byte[] joinAccept = {0x01, 0x02, (byte) 0xff};
    Instant createdAt = Instant.parse("2026-11-24T10:00:00.123456789Z");

    VertxContextSupport.subscribeAndAwait(
        () ->
            Panache.withTransaction(
                SessionEntity.active(id, gsId, sessionKey, swHash, joinAccept, createdAt)
                    ::persist));
    SessionEntity found =
        VertxContextSupport.subscribeAndAwait(
            () -> Panache.withSession(() -> SessionEntity.findBySessionId(id)));

    assertThat(found.sessionId()).isEqualTo(id);
    assertThat(found.gameServer()).isEqualTo(gsId);
    assertThat(found.sessionKey).isEqualTo(sessionKey.bytes().toByteArray());
    assertThat(found.swHash).isEqualTo(swHash.toByteArray());
    assertThat(found.joinAccept).isEqualTo(joinAccept);
    assertThat(found.status).isEqualTo(SessionStatus.ACTIVE);
    // PostgreSQL keeps microseconds; the factory truncates so memory and database agree.
    assertThat(found.createdAt).isEqualTo(Instant.parse("2026-11-24T10:00:00.123456Z"));
    assertThat(found.endedAt).isNull();
    assertThat(found.endReason).isNull();
  }

  @Test
  void revocationEntity_ofSession_storesItsEvidenceAsJsonb() throws Throwable {
    SessionId session = auditTrail.addSession(gsId, swHash, Instant.now());
    Map<String, Object> evidence = Map.of("speed", 9000, "limit", 5000);

    VertxContextSupport.subscribeAndAwait(
        () ->
            Panache.withTransaction(
                RevocationEntity.ofSession(
                        session, gsId, Reason.SPEED_VIOLATION, evidence, Instant.now())
                    ::persist));

    Map<String, Object> row =
        auditTrail.single(
            "SELECT gs_id, reason_code, (evidence->>'speed')::int AS speed,"
                + " jsonb_typeof(evidence) AS kind FROM revocations WHERE session_id = ?",
            session.bytes().toByteArray());
    assertThat(row)
        .containsEntry("gs_id", "gs-1")
        .containsEntry("reason_code", Reason.SPEED_VIOLATION.code())
        .containsEntry("speed", 9000)
        .containsEntry("kind", "object");
  }
}
