package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.AdminFixtures.enroll;
import static dev.mmo.vs.admin.AdminFixtures.newSwHash;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /api/sessions/{id}/revoke: an operator revokes one session. */
@QuarkusTest
class SessionRevocationResourceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject AuditTrail auditTrail;

  private SessionId active;
  private SessionId ended;

  @BeforeEach
  void sessions() {
    auditTrail.clear();
    String sw = newSwHash();
    enroll("gs-r", sw);
    active = auditTrail.addSession(new GsId("gs-r"), Hash.fromHex(sw), Instant.now());
    ended = auditTrail.addSession(new GsId("gs-r"), Hash.fromHex(sw), Instant.now());
    auditTrail.setSessionStatus(ended, "ENDED");
  }

  @Test
  void revoke_activeSession_revokedWithOperatorAndReasonAsEvidence() {
    given()
        .auth()
        .oauth2(TestTokens.admin())
        .contentType("application/json")
        .body(Map.of("reason", "cheating reported by players"))
        .when()
        .post("/api/sessions/" + active.hex() + "/revoke")
        .then()
        .statusCode(200)
        .body("id", equalTo(active.hex()))
        .body("status", equalTo("REVOKED"))
        .body("endReason", equalTo(Reason.OPERATOR_ACTION.code()));

    // The record is durable on the audit queue; the audit writer commits it shortly after.
    await().atMost(WAIT).until(() -> !revocationsOf(active).isEmpty());
    List<Map<String, Object>> rows =
        auditTrail.query(
            "SELECT reason_code, gs_id, evidence::text AS evidence FROM revocations"
                + " WHERE session_id = ?",
            active.bytes().toByteArray());
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0))
        .containsEntry("reason_code", Reason.OPERATOR_ACTION.code())
        .containsEntry("gs_id", "gs-r");
    assertThat((String) rows.get(0).get("evidence"))
        .contains("\"reason\": \"cheating reported by players\"", "\"operator\":");
    await()
        .atMost(WAIT)
        .until(
            () ->
                auditTrail
                    .query("SELECT status FROM sessions WHERE id = ?", active.bytes().toByteArray())
                    .equals(List.of(Map.of("status", "REVOKED"))));
  }

  @Test
  void revoke_twice_secondIsConflictAndRecordedOnce() {
    revoke(active).then().statusCode(200);
    await().atMost(WAIT).until(() -> !revocationsOf(active).isEmpty());

    revoke(active)
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("code", equalTo("SESSION_NOT_ACTIVE"));
    assertThat(
            auditTrail.query(
                "SELECT 1 FROM revocations WHERE session_id = ?", active.bytes().toByteArray()))
        .hasSize(1);
  }

  @Test
  void revoke_endedSession_conflict() {
    revoke(ended).then().statusCode(409).body("code", equalTo("SESSION_NOT_ACTIVE"));
  }

  @Test
  void revoke_unknownSession_notFound() {
    revoke(SessionId.fromHex("00000000000000000000000000000000"))
        .then()
        .statusCode(404)
        .body("code", equalTo("SESSION_NOT_FOUND"));
  }

  @Test
  void revoke_asOperator_forbiddenAndNothingRevoked() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .contentType("application/json")
        .body(Map.of("reason", "x"))
        .when()
        .post("/api/sessions/" + active.hex() + "/revoke")
        .then()
        .statusCode(403);
    assertThat(
            auditTrail.query(
                "SELECT 1 FROM revocations WHERE session_id = ?", active.bytes().toByteArray()))
        .isEmpty();
  }

  @Test
  void revoke_withoutReason_badRequest() {
    given()
        .auth()
        .oauth2(TestTokens.admin())
        .contentType("application/json")
        .body("{}")
        .when()
        .post("/api/sessions/" + active.hex() + "/revoke")
        .then()
        .statusCode(400)
        .body("code", equalTo("INVALID_REASON"));
  }

  /**
   * The reason is stored as evidence: one line of plain text, as for a game server's revocation.
   */
  @Test
  void revoke_reasonWithControlCharacters_badRequestAndNothingRevoked() {
    for (String reason :
        List.of(
            "forged\n2026-01-01 INFO admin granted", "forged\u0085entry", "a\u202eb", "a\u0000b")) {
      given()
          .auth()
          .oauth2(TestTokens.admin())
          .contentType("application/json")
          .body(Map.of("reason", reason))
          .when()
          .post("/api/sessions/" + active.hex() + "/revoke")
          .then()
          .statusCode(400)
          .body("code", equalTo("INVALID_REASON"));
    }
    assertThat(revocationsOf(active)).isEmpty();
  }

  private List<Map<String, Object>> revocationsOf(SessionId id) {
    return auditTrail.query(
        "SELECT 1 FROM revocations WHERE session_id = ?", id.bytes().toByteArray());
  }

  private static io.restassured.response.Response revoke(SessionId id) {
    return given()
        .auth()
        .oauth2(TestTokens.admin())
        .contentType("application/json")
        .body(Map.of("reason", "test"))
        .when()
        .post("/api/sessions/" + id.hex() + "/revoke");
  }
}
