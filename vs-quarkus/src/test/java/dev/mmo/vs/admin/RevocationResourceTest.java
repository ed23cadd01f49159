package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.AdminFixtures.enroll;
import static dev.mmo.vs.admin.AdminFixtures.newSwHash;
import static dev.mmo.vs.admin.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.audit.AuditStore;
import dev.mmo.vs.audit.RevocationRecord;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GET /api/revocations and GET /api/sessions/{id}/revocations, over revocations written by the
 * audit writer's store (AuditStore, the SQL the audit queue's consumer runs) and by the admin API's
 * own revoke.
 */
@QuarkusTest
class RevocationResourceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  @Inject AuditTrail auditTrail;
  @Inject AuditStore store;

  private SessionId a1;
  private SessionId a2;
  private SessionId b1;
  private final UUID speed = UUID.randomUUID();
  private final UUID signature = UUID.randomUUID();
  private final UUID heartbeats = UUID.randomUUID();
  private final UUID bounds = UUID.randomUUID();

  @BeforeEach
  void revocations() {
    auditTrail.clear();
    String sw = newSwHash();
    enroll("gs-a", sw);
    enroll("gs-b", sw);
    enroll("gs-c", sw);
    a1 = auditTrail.addSession(new GsId("gs-a"), Hash.fromHex(sw), T0);
    a2 = auditTrail.addSession(new GsId("gs-a"), Hash.fromHex(sw), T0);
    b1 = auditTrail.addSession(new GsId("gs-b"), Hash.fromHex(sw), T0);
    revoke(
        speed,
        a1,
        "gs-a",
        Reason.SPEED_VIOLATION,
        Map.of("distance", 1234, "limit", 500, "digests", List.of("aa", "bb")),
        T0.plusSeconds(10));
    revoke(signature, b1, "gs-b", Reason.BAD_SIGNATURE, Map.of(), T0.plusSeconds(20));
    // The same instant as the bounds revocation below: the later decision is listed first.
    revoke(
        heartbeats,
        a2,
        "gs-a",
        Reason.MISSED_HEARTBEATS,
        Map.of("silentMs", 4000),
        T0.plusSeconds(30));
    revoke(bounds, a1, "gs-a", Reason.BOUNDS_VIOLATION, Map.of("x", -200_000), T0.plusSeconds(30));
  }

  @AfterEach
  void clear() {
    auditTrail.clear();
  }

  // --- GET /api/revocations -----------------------------------------------------------------

  @Test
  void list_noFilter_newestFirstWithEvidence() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/revocations")
        .then()
        .statusCode(200)
        .body("items.recordId", contains(id(bounds), id(heartbeats), id(signature), id(speed)))
        .body("total", equalTo(4))
        .body("limit", equalTo(50))
        .body("offset", equalTo(0))
        // Every field of the oldest one; its evidence is a JSON object, nested values kept.
        .body("items[3].reasonCode", equalTo(Reason.SPEED_VIOLATION.code()))
        .body("items[3].reasonName", equalTo("SPEED_VIOLATION"))
        .body("items[3].decidedAt", equalTo("2026-11-24T10:00:10Z"))
        .body("items[3].gsId", equalTo("gs-a"))
        .body("items[3].sessionId", equalTo(a1.hex()))
        .body("items[3].evidence.distance", equalTo(1234))
        .body("items[3].evidence.limit", equalTo(500))
        .body("items[3].evidence.digests", contains("aa", "bb"))
        .body("items[2].evidence", equalTo(Map.of()));
  }

  @Test
  void list_operatorRevocation_showsItsEvidenceAndNoSession() {
    AdminFixtures.revoke("gs-c");

    given()
        .auth()
        .oauth2(TestTokens.admin())
        .queryParam("gsId", "gs-c")
        .when()
        .get("/api/revocations")
        .then()
        .statusCode(200)
        .body("total", equalTo(1))
        .body("items[0].reasonName", equalTo("OPERATOR_ACTION"))
        .body("items[0].sessionId", nullValue())
        .body("items[0].recordId", nullValue())
        .body("items[0].evidence.operator", equalTo("test-admin"))
        .body("items[0].evidence.reason", equalTo("test"));
  }

  @Test
  void list_byGameServer_returnsOnlyItsRevocations() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .queryParam("gsId", "gs-a")
        .when()
        .get("/api/revocations")
        .then()
        .statusCode(200)
        .body("items.recordId", contains(id(bounds), id(heartbeats), id(speed)))
        .body("total", equalTo(3));
  }

  @Test
  void list_byReasonNameOrCode_returnsTheMatch() {
    for (String reason :
        List.of("SPEED_VIOLATION", String.valueOf(Reason.SPEED_VIOLATION.code()))) {
      given()
          .auth()
          .oauth2(TestTokens.operator())
          .queryParam("reason", reason)
          .when()
          .get("/api/revocations")
          .then()
          .statusCode(200)
          .body("items.recordId", contains(id(speed)))
          .body("total", equalTo(1));
    }
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .queryParam("gsId", "gs-b")
        .queryParam("reason", "SPEED_VIOLATION")
        .when()
        .get("/api/revocations")
        .then()
        .statusCode(200)
        .body("items", empty())
        .body("total", equalTo(0));
  }

  @Test
  void list_limitAndOffset_returnThatPage() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .queryParam("limit", 2)
        .queryParam("offset", 1)
        .when()
        .get("/api/revocations")
        .then()
        .statusCode(200)
        .body("items.recordId", contains(id(heartbeats), id(signature)))
        .body("total", equalTo(4));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "reason=speed_violation",
        "reason=0",
        "reason=040",
        "reason=999",
        "gsId=GS-A",
        "limit=0",
        "offset=-1"
      })
  void list_invalidFilter_returns400(String query) {
    String code =
        query.startsWith("reason")
            ? "INVALID_REASON_CODE"
            : query.startsWith("gsId") ? "INVALID_GS_ID" : "INVALID_PAGE";
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/revocations?" + query)
        .then()
        .spec(problem(400, code));
  }

  @Test
  void list_withoutToken_returns401() {
    given().when().get("/api/revocations").then().spec(problem(401, "UNAUTHORIZED"));
  }

  @Test
  void list_withoutOperatorRole_returns403() {
    given()
        .auth()
        .oauth2(TestTokens.player())
        .when()
        .get("/api/revocations")
        .then()
        .spec(problem(403, "FORBIDDEN"));
  }

  // --- GET /api/sessions/{id}/revocations ---------------------------------------------------

  @Test
  void ofSession_returnsOnlyItsRevocationsNewestFirst() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/sessions/" + a1.hex() + "/revocations")
        .then()
        .statusCode(200)
        .body("items.recordId", contains(id(bounds), id(speed)))
        .body("items.sessionId", contains(a1.hex(), a1.hex()))
        .body("items[0].evidence.x", equalTo(-200_000))
        .body("total", equalTo(2));
  }

  @Test
  void ofSession_sessionNeverRevoked_returnsAnEmptyPage() {
    SessionId fresh = auditTrail.addSession(new GsId("gs-c"), Hash.fromHex(newSwHash()), T0);

    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/sessions/" + fresh.hex() + "/revocations")
        .then()
        .statusCode(200)
        .body("items", empty())
        .body("total", equalTo(0));
  }

  @Test
  void ofSession_unknownOrInvalidSession_returns404Or400() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/sessions/00000000000000000000000000000001/revocations")
        .then()
        .spec(problem(404, "SESSION_NOT_FOUND"));
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/sessions/xyz/revocations")
        .then()
        .spec(problem(400, "INVALID_SESSION_ID"));
  }

  @Test
  void ofSession_withoutTokenOrRole_returns401Or403() {
    given()
        .when()
        .get("/api/sessions/" + a1.hex() + "/revocations")
        .then()
        .spec(problem(401, "UNAUTHORIZED"));
    given()
        .auth()
        .oauth2(TestTokens.player())
        .when()
        .get("/api/sessions/" + a1.hex() + "/revocations")
        .then()
        .spec(problem(403, "FORBIDDEN"));
  }

  private void revoke(
      UUID recordId,
      SessionId session,
      String gsId,
      Reason reason,
      Map<String, Object> evidence,
      Instant at) {
    store
        .write(
            List.of(
                new RevocationRecord(
                    recordId, session, new GsId(gsId), reason.code(), evidence, at)))
        .await()
        .atMost(WAIT);
  }

  private static String id(UUID recordId) {
    return recordId.toString();
  }
}
