package dev.mmo.vs.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.testing.TestKeys;
import dev.mmo.protocol.trust.BatchSealer;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.SessionId;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The direct audit trail writes each record once, however often it is handed the same one. */
@QuarkusTest
class DirectAuditLogTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject AuditLog audit;
  @Inject Pool pool;

  @Test
  void receipt_acceptedTwice_storedOnceWithItsDigest() throws Exception {
    SessionId session = newSession();
    ProtectedReceipt statement =
        new ProtectedReceipt(
            session, 7, Sha256.hash(new byte[] {1}), Sha256.hash(new byte[] {2}), 1_000);
    Attested<ProtectedReceipt> receipt =
        BatchSealer.seal(List.of(statement), 0, Hash.ZERO, 1_000, TestKeys.VS_ROOT)
            .attest(statement, 0);
    byte[] digest = {9, 9, 9};

    audit.receipt(receipt, digest).await().atMost(WAIT);
    audit.receipt(receipt, digest).await().atMost(WAIT);

    var rows =
        pool.preparedQuery("SELECT gs_counter, digest FROM receipts WHERE session_id = $1")
            .execute(Tuple.of(Buffer.buffer(session.bytes().toByteArray())))
            .await()
            .atMost(WAIT);
    assertThat(rows.rowCount()).isEqualTo(1);
    assertThat(rows.iterator().next().getLong("gs_counter")).isEqualTo(7);
    assertThat(rows.iterator().next().getBuffer("digest").getBytes()).isEqualTo(digest);
  }

  @Test
  void revocation_acceptedTwice_storedOnceAndTheSessionEnded() {
    SessionId session = newSession();
    RevocationRecord record =
        new RevocationRecord(
            UUID.randomUUID(),
            session,
            new GsId("gs-audit"),
            Reason.SPEED_VIOLATION.code(),
            Map.of("distance", 1234),
            Instant.now());

    audit.revocation(record).await().atMost(WAIT);
    audit.revocation(record).await().atMost(WAIT);

    var revocations =
        pool.preparedQuery(
                "SELECT reason_code, evidence::text AS e FROM revocations WHERE session_id = $1")
            .execute(Tuple.of(Buffer.buffer(session.bytes().toByteArray())))
            .await()
            .atMost(WAIT);
    assertThat(revocations.rowCount()).isEqualTo(1);
    assertThat(revocations.iterator().next().getInteger("reason_code"))
        .isEqualTo(Reason.SPEED_VIOLATION.code());
    assertThat(revocations.iterator().next().getString("e")).contains("\"distance\": 1234");
    var status =
        pool.preparedQuery("SELECT status, end_reason FROM sessions WHERE id = $1")
            .execute(Tuple.of(Buffer.buffer(session.bytes().toByteArray())))
            .await()
            .atMost(WAIT)
            .iterator()
            .next();
    assertThat(status.getString("status")).isEqualTo("REVOKED");
    assertThat(status.getInteger("end_reason")).isEqualTo(Reason.SPEED_VIOLATION.code());
  }

  private SessionId newSession() {
    SessionId id = SessionId.random(new SecureRandom());
    pool.preparedQuery(
            "INSERT INTO game_servers (id, public_key, status, enrolled_at) VALUES ('gs-audit', $1, 'ACTIVE', $2)"
                + " ON CONFLICT (id) DO NOTHING")
        .execute(Tuple.of(Buffer.buffer(new byte[32]), OffsetDateTime.now()))
        .await()
        .atMost(WAIT);
    pool.preparedQuery(
            "INSERT INTO sessions (id, gs_id, session_key, sw_hash, join_accept, status, created_at)"
                + " VALUES ($1, 'gs-audit', $2, $3, $4, 'ACTIVE', $5)")
        .execute(
            Tuple.of(
                Buffer.buffer(id.bytes().toByteArray()),
                Buffer.buffer(new byte[32]),
                Buffer.buffer(new byte[32]),
                Buffer.buffer(new byte[] {1}),
                OffsetDateTime.now()))
        .await()
        .atMost(WAIT);
    return id;
  }
}
