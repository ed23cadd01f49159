package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.AdminFixtures.enroll;
import static dev.mmo.vs.admin.AdminFixtures.newSwHash;
import static dev.mmo.vs.admin.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.enrollment.GameServerRevoked;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /api/game-servers/{id}/revoke and everything a revocation must do. */
@QuarkusTest
class RevokeGameServerTest {
  @Inject AuditTrail auditTrail;
  @Inject RecordingRevocationObserver observer;

  @BeforeEach
  void clear() {
    auditTrail.clear();
    observer.clear();
  }

  private static RequestSpecification as(String token) {
    return given().auth().oauth2(token).contentType(ContentType.JSON);
  }

  @Test
  void revoke_activeGameServer_commitsEverythingThenFiresTheEvent() {
    String sw = newSwHash();
    enroll("gs-rogue", sw);
    enroll("gs-honest", sw);
    GsId rogue = new GsId("gs-rogue");
    Instant start = Instant.now().minusSeconds(60);
    SessionId live1 = auditTrail.addSession(rogue, Hash.fromHex(sw), start);
    SessionId live2 = auditTrail.addSession(rogue, Hash.fromHex(sw), start.plusSeconds(1));
    SessionId over = auditTrail.addSession(rogue, Hash.fromHex(sw), start.plusSeconds(2));
    auditTrail.setSessionStatus(over, "ENDED");
    SessionId other = auditTrail.addSession(new GsId("gs-honest"), Hash.fromHex(sw), start);

    as(TestTokens.withRoles("alice", Roles.ADMIN))
        .body(Map.of("reason", "  teleporting players, reports #4411  "))
        .when()
        .post("/api/game-servers/gs-rogue/revoke")
        .then()
        .statusCode(200)
        .body("id", equalTo("gs-rogue"))
        .body("status", equalTo("REVOKED"))
        .body("revokedAt", notNullValue())
        .body("revokeReason", equalTo("teleporting players, reports #4411"))
        .body("allowedSoftware.swHash", org.hamcrest.Matchers.contains(sw));

    // The game server, in PostgreSQL.
    Map<String, Object> gs =
        auditTrail.single(
            "SELECT status, revoked_at, revoke_reason FROM game_servers WHERE id = 'gs-rogue'");
    assertThat(gs)
        .containsEntry("status", "REVOKED")
        .containsEntry("revoke_reason", "teleporting players, reports #4411");
    Object revokedAt = gs.get("revoked_at");
    assertThat(revokedAt).isNotNull();

    // One revocation row, with the operator and their reason as evidence.
    Map<String, Object> revocation =
        auditTrail.single(
            "SELECT session_id, reason_code, decided_at, evidence->>'operator' AS operator,"
                + " evidence->>'reason' AS reason, evidence->>'source' AS source,"
                + " (evidence->>'sessionsRevoked')::int AS sessions"
                + " FROM revocations WHERE gs_id = 'gs-rogue'");
    assertThat(revocation.get("session_id")).isNull();
    assertThat(revocation)
        .containsEntry("reason_code", Reason.OPERATOR_ACTION.code())
        .containsEntry("operator", "alice")
        .containsEntry("reason", "teleporting players, reports #4411")
        .containsEntry("source", "admin-api")
        .containsEntry("sessions", 2)
        .containsEntry("decided_at", revokedAt);

    // Its active sessions ended as REVOKED at the same instant; nothing else touched.
    assertThat(sessionState(live1)).containsExactly("REVOKED", 53, revokedAt);
    assertThat(sessionState(live2)).containsExactly("REVOKED", 53, revokedAt);
    assertThat(sessionState(over).get(0)).isEqualTo("ENDED");
    assertThat(sessionState(over).get(1)).isNull();
    assertThat(sessionState(other)).containsExactly("ACTIVE", null, null);
    assertThat(auditTrail.query("SELECT id FROM revocations WHERE gs_id = 'gs-honest'")).isEmpty();

    // The live-session code hears of it once each way, after the commit.
    GameServerRevoked expected = new GameServerRevoked(rogue, Reason.OPERATOR_ACTION);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> observer.synchronous().size() == 1 && observer.asynchronous().size() == 1);
    assertThat(observer.synchronous().get(0).event()).isEqualTo(expected);
    assertThat(observer.synchronous().get(0).onEventLoop()).isTrue();
    assertThat(observer.asynchronous().get(0).event()).isEqualTo(expected);
    assertThat(observer.asynchronous().get(0).onEventLoop()).isFalse();
    assertThat(observer.asynchronous().get(0).storedStatus()).isEqualTo("REVOKED");
  }

  @Test
  void revoke_gameServerWithoutSessions_recordsZeroSessionsRevoked() {
    enroll("gs-idle");

    as(TestTokens.admin())
        .body(Map.of("reason", "retired"))
        .when()
        .post("/api/game-servers/gs-idle/revoke")
        .then()
        .statusCode(200)
        .body("status", equalTo("REVOKED"));

    assertThat(
            auditTrail.single(
                "SELECT (evidence->>'sessionsRevoked')::int AS n FROM revocations"
                    + " WHERE gs_id = 'gs-idle'"))
        .containsEntry("n", 0);
  }

  @Test
  void revoke_alreadyRevoked_returns409WithoutASecondRevocationOrEvent() {
    enroll("gs-1");
    AdminFixtures.revoke("gs-1");
    await().until(() -> observer.asynchronous().size() == 1);
    observer.clear();

    as(TestTokens.admin())
        .body(Map.of("reason", "again"))
        .when()
        .post("/api/game-servers/gs-1/revoke")
        .then()
        .spec(problem(409, "GAME_SERVER_REVOKED"));

    assertThat(auditTrail.query("SELECT id FROM revocations WHERE gs_id = 'gs-1'")).hasSize(1);
    assertThat(auditTrail.single("SELECT revoke_reason FROM game_servers WHERE id = 'gs-1'"))
        .containsEntry("revoke_reason", "test");
    assertThat(observer.synchronous()).isEmpty();
  }

  /** Racing revocations of one game server: one wins, the others get 409, one row in all. */
  @Test
  void revoke_concurrentRequests_oneReturns200TheOthers409() throws Exception {
    enroll("gs-1");
    int racers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    List<Integer> statuses = new ArrayList<>();
    try {
      List<CompletableFuture<Integer>> futures =
          IntStream.range(0, racers)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                          () ->
                              as(TestTokens.admin())
                                  .body(Map.of("reason", "race " + i))
                                  .post("/api/game-servers/gs-1/revoke")
                                  .statusCode(),
                          pool))
              .toList();
      for (CompletableFuture<Integer> f : futures) {
        statuses.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(statuses).containsOnly(200, 409);
    assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
    assertThat(auditTrail.query("SELECT id FROM revocations WHERE gs_id = 'gs-1'")).hasSize(1);
  }

  @Test
  void revoke_unknownGameServer_returns404() {
    as(TestTokens.admin())
        .body(Map.of("reason", "who?"))
        .when()
        .post("/api/game-servers/gs-nobody/revoke")
        .then()
        .spec(problem(404, "GAME_SERVER_NOT_FOUND"));
    assertThat(auditTrail.query("SELECT id FROM revocations")).isEmpty();
  }

  @Test
  void revoke_invalidId_returns400() {
    as(TestTokens.admin())
        .body(Map.of("reason", "x"))
        .when()
        .post("/api/game-servers/GS_1/revoke")
        .then()
        .spec(problem(400, "INVALID_GS_ID"));
  }

  @Test
  void revoke_badReasons_return400InvalidReasonAndChangeNothing() {
    enroll("gs-1");
    List<String> failures = new ArrayList<>();
    for (String body :
        List.of(
            "{}",
            "{\"reason\": null}",
            "{\"reason\": \"\"}",
            "{\"reason\": \"   \"}",
            "{\"reason\": \"forged\\n2026-01-01 INFO admin granted\"}",
            // NEL, line and paragraph separators: line breaks to many log viewers.
            "{\"reason\": \"forged\\u0085entry\"}",
            "{\"reason\": \"forged\\u2028entry\"}",
            "{\"reason\": \"forged\\u2029entry\"}",
            // Bidi override and isolate, zero-width space: text that reads otherwise than it is.
            "{\"reason\": \"cheat \\u202edetcefni\"}",
            "{\"reason\": \"cheat \\u2066x\\u2069\"}",
            "{\"reason\": \"ad\\u200bmin\"}",
            // Half a surrogate pair.
            "{\"reason\": \"broken \\ud800 text\"}",
            "{\"reason\": \"" + "x".repeat(1001) + "\"}")) {
      var response = as(TestTokens.admin()).body(body).post("/api/game-servers/gs-1/revoke");
      if (response.statusCode() != 400
          || !"INVALID_REASON".equals(response.jsonPath().getString("code"))) {
        failures.add(body + " -> " + response.statusCode() + " " + response.asString());
      }
    }
    assertThat(failures).isEmpty();
    assertThat(auditTrail.single("SELECT status FROM game_servers WHERE id = 'gs-1'"))
        .containsEntry("status", "ACTIVE");
  }

  @Test
  void revoke_reasonInAnyScript_isKeptAsItIs() {
    enroll("gs-1");
    String reason = "Spieler über die Karte teleportiert — телепорт 🚀";

    as(TestTokens.admin())
        .body(Map.of("reason", reason))
        .when()
        .post("/api/game-servers/gs-1/revoke")
        .then()
        .statusCode(200)
        .body("revokeReason", equalTo(reason));
  }

  @Test
  void revoke_noBody_returns400InvalidBody() {
    enroll("gs-1");
    as(TestTokens.admin())
        .when()
        .post("/api/game-servers/gs-1/revoke")
        .then()
        .spec(problem(400, "INVALID_BODY"));
  }

  @Test
  void revoke_withoutToken_returns401AndChangesNothing() {
    enroll("gs-1");
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("reason", "x"))
        .when()
        .post("/api/game-servers/gs-1/revoke")
        .then()
        .spec(problem(401, "UNAUTHORIZED"));
    assertThat(auditTrail.single("SELECT status FROM game_servers WHERE id = 'gs-1'"))
        .containsEntry("status", "ACTIVE");
  }

  @Test
  void revoke_operatorToken_returns403AndChangesNothing() {
    enroll("gs-1");
    as(TestTokens.operator())
        .body(Map.of("reason", "x"))
        .when()
        .post("/api/game-servers/gs-1/revoke")
        .then()
        .spec(problem(403, "FORBIDDEN"));
    assertThat(auditTrail.single("SELECT status FROM game_servers WHERE id = 'gs-1'"))
        .containsEntry("status", "ACTIVE");
    assertThat(observer.synchronous()).isEmpty();
  }

  /** status, end_reason, ended_at of one session. */
  private List<Object> sessionState(SessionId id) {
    Map<String, Object> row =
        auditTrail.single(
            "SELECT status, end_reason, ended_at FROM sessions WHERE id = ?",
            id.bytes().toByteArray());
    List<Object> state = new ArrayList<>();
    state.add(row.get("status"));
    state.add(row.get("end_reason"));
    state.add(row.get("ended_at"));
    return state;
  }
}
