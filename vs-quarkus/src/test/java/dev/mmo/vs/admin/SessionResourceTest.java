package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.AdminFixtures.enroll;
import static dev.mmo.vs.admin.AdminFixtures.newSwHash;
import static dev.mmo.vs.admin.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET /api/sessions and GET /api/sessions/{id}. */
@QuarkusTest
class SessionResourceTest {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  @Inject AuditTrail auditTrail;

  private String sw;
  private SessionId a1;
  private SessionId a2;
  private SessionId b1;

  @BeforeEach
  void sessions() {
    auditTrail.clear();
    sw = newSwHash();
    enroll("gs-a", sw);
    enroll("gs-b", sw);
    a1 = auditTrail.addSession(new GsId("gs-a"), Hash.fromHex(sw), T0);
    b1 = auditTrail.addSession(new GsId("gs-b"), Hash.fromHex(sw), T0.plusSeconds(1));
    a2 = auditTrail.addSession(new GsId("gs-a"), Hash.fromHex(sw), T0.plusSeconds(2));
    auditTrail.setSessionStatus(a1, "ENDED");
  }

  // --- GET /api/sessions --------------------------------------------------------------------

  @Test
  void list_noFilter_returnsAllNewestFirst() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/sessions")
        .then()
        .statusCode(200)
        .body("items.id", contains(a2.hex(), b1.hex(), a1.hex()))
        .body("total", equalTo(3))
        .body("limit", equalTo(50))
        .body("offset", equalTo(0));
  }

  @Test
  void list_byGameServer_returnsOnlyItsSessions() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .queryParam("gsId", "gs-a")
        .when()
        .get("/api/sessions")
        .then()
        .statusCode(200)
        .body("items.id", contains(a2.hex(), a1.hex()))
        .body("total", equalTo(2));
  }

  @Test
  void list_byGameServerAndStatus_returnsTheMatch() {
    given()
        .auth()
        .oauth2(TestTokens.admin())
        .queryParam("gsId", "gs-a")
        .queryParam("status", "ENDED")
        .when()
        .get("/api/sessions")
        .then()
        .statusCode(200)
        .body("items.id", contains(a1.hex()))
        .body("total", equalTo(1));
  }

  @Test
  void list_limitAndOffset_returnThatPage() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .queryParam("limit", 1)
        .queryParam("offset", 1)
        .when()
        .get("/api/sessions")
        .then()
        .statusCode(200)
        .body("items.id", contains(b1.hex()))
        .body("total", equalTo(3));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gsId=GS-A", "gsId=-a", "status=active", "status=GONE"})
  void list_invalidFilter_returns400(String query) {
    String code = query.startsWith("gsId") ? "INVALID_GS_ID" : "INVALID_STATUS";
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/sessions?" + query)
        .then()
        .spec(problem(400, code));
  }

  @Test
  void list_offsetAtTheBound_returnsAnEmptyPage() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .queryParam("offset", 10_000)
        .when()
        .get("/api/sessions")
        .then()
        .statusCode(200)
        .body("items", empty())
        .body("offset", equalTo(10_000))
        .body("total", equalTo(3));
  }

  @Test
  void list_offsetAboveTheBound_returns400InvalidPage() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .queryParam("offset", 10_001)
        .when()
        .get("/api/sessions")
        .then()
        .spec(problem(400, "INVALID_PAGE"));
  }

  @Test
  void list_limitAboveTheBound_returns400InvalidPage() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .queryParam("limit", 201)
        .when()
        .get("/api/sessions")
        .then()
        .spec(problem(400, "INVALID_PAGE"));
  }

  @Test
  void list_withoutToken_returns401() {
    given().when().get("/api/sessions").then().spec(problem(401, "UNAUTHORIZED"));
  }

  @Test
  void list_tokenWithoutAnAdminRole_returns403() {
    given()
        .auth()
        .oauth2(TestTokens.player())
        .when()
        .get("/api/sessions")
        .then()
        .spec(problem(403, "FORBIDDEN"));
  }

  // --- GET /api/sessions/{id} ---------------------------------------------------------------

  @Test
  void get_existing_returnsEveryFieldInLowercaseHex() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/sessions/" + a2.hex())
        .then()
        .statusCode(200)
        .body("id", equalTo(a2.hex()))
        .body("gsId", equalTo("gs-a"))
        .body("sessionKey", matchesPattern("[0-9a-f]{64}"))
        .body("swHash", equalTo(sw))
        .body("joinAccept", equalTo("010203"))
        .body("status", equalTo("ACTIVE"))
        .body("createdAt", equalTo("2026-11-24T10:00:02Z"))
        .body("endedAt", nullValue())
        .body("endReason", nullValue())
        .body("endReasonName", nullValue());
  }

  @Test
  void get_revokedSession_namesItsEndReason() {
    AdminFixtures.revoke("gs-a");

    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/sessions/" + a2.hex())
        .then()
        .statusCode(200)
        .body("status", equalTo("REVOKED"))
        .body("endReason", equalTo(53))
        .body("endReasonName", equalTo("OPERATOR_ACTION"));
  }

  @Test
  void get_unknown_returns404() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/sessions/" + "00".repeat(16))
        .then()
        .spec(problem(404, "SESSION_NOT_FOUND"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0011",
        "000102030405060708090a0b0c0d0e0f00",
        "000102030405060708090A0B0C0D0E0F",
        "zz0102030405060708090a0b0c0d0e0f"
      })
  void get_malformedId_returns400InvalidSessionId(String id) {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/sessions/" + id)
        .then()
        .spec(problem(400, "INVALID_SESSION_ID"));
  }

  @Test
  void get_withoutToken_returns401() {
    given().when().get("/api/sessions/" + a1.hex()).then().spec(problem(401, "UNAUTHORIZED"));
  }

  @Test
  void get_tokenWithoutAnAdminRole_returns403() {
    given()
        .auth()
        .oauth2(TestTokens.player())
        .when()
        .get("/api/sessions/" + a1.hex())
        .then()
        .spec(problem(403, "FORBIDDEN"));
  }
}
