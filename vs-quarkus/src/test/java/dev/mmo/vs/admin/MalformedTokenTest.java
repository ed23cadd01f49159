package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.AdminFixtures.newSwHash;
import static dev.mmo.vs.admin.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Validly signed tokens whose claims are malformed, issued in the future, or name a caller the VS
 * could not store as evidence: each is refused with 401 problem details, and none makes the VS log
 * an error.
 */
@QuarkusTest
class MalformedTokenTest {
  private static final long YEAR = 365L * 24 * 3600;

  @Inject AuditTrail auditTrail;

  @BeforeEach
  void clean() {
    auditTrail.clear();
  }

  /** Each entry changes the claims of a valid admin token in one way. */
  private static Map<String, Consumer<Map<String, Object>>> malformed() {
    long now = Instant.now().getEpochSecond();
    Map<String, Consumer<Map<String, Object>>> cases = new LinkedHashMap<>();
    cases.put("groups a string", c -> c.put("groups", Roles.ADMIN));
    cases.put("groups a number", c -> c.put("groups", 5));
    cases.put("groups an object", c -> c.put("groups", Map.of(Roles.ADMIN, true)));
    cases.put("groups null", c -> c.put("groups", null));
    cases.put("groups with a number", c -> c.put("groups", List.of(Roles.ADMIN, 5)));
    cases.put("groups with a line break", c -> c.put("groups", List.of(Roles.ADMIN, "a\nb")));
    cases.put("upn a number", c -> c.put("upn", 5));
    cases.put("upn an array", c -> c.put("upn", List.of("test-admin")));
    cases.put("upn empty", c -> c.put("upn", ""));
    cases.put("upn too long", c -> c.put("upn", "a".repeat(256)));
    cases.put("preferred_username a number", c -> c.put("preferred_username", 5));
    cases.put("sub a number", c -> c.put("sub", 5));
    cases.put("exp a string", c -> c.put("exp", Long.toString(now + 300)));
    cases.put("iat a string", c -> c.put("iat", Long.toString(now)));
    cases.put("iat missing", c -> c.remove("iat"));
    cases.put("nbf a string", c -> c.put("nbf", "now"));
    cases.put("iss a number", c -> c.put("iss", 5));
    cases.put("aud a number", c -> c.put("aud", 5));
    cases.put("jti a number", c -> c.put("jti", 5));
    cases.put(
        "iat a year ahead",
        c -> {
          c.put("iat", now + YEAR);
          c.put("exp", now + YEAR + 300);
        });
    cases.put(
        "iat past the clock skew",
        c -> {
          c.put("iat", now + 120);
          c.put("exp", now + 600);
        });
    return cases;
  }

  @Test
  void everyMalformedToken_returns401AndLogsNoError() {
    List<String> failures = new ArrayList<>();
    try (ErrorLog errors = ErrorLog.open()) {
      malformed()
          .forEach(
              (name, change) -> {
                Map<String, Object> claims = RawTokens.adminClaims();
                change.accept(claims);
                Response response =
                    given().auth().oauth2(RawTokens.sign(claims)).get("/api/game-servers");
                if (response.statusCode() != 401 || !"UNAUTHORIZED".equals(response.path("code"))) {
                  failures.add(name + ": " + response.statusCode() + " " + response.asString());
                }
              });
      assertThat(errors.records()).isEmpty();
    }
    assertThat(failures).isEmpty();
  }

  /** The control: the raw tokens are valid as they come, and so is an iat within the skew. */
  @Test
  void wellFormedRawToken_isAccepted() {
    given()
        .auth()
        .oauth2(RawTokens.sign(RawTokens.adminClaims()))
        .get("/api/game-servers")
        .then()
        .statusCode(200);
    Map<String, Object> claims = RawTokens.adminClaims();
    claims.put("iat", Instant.now().getEpochSecond() + 30);
    given().auth().oauth2(RawTokens.sign(claims)).get("/api/game-servers").then().statusCode(200);
  }

  /** Names the VS would store as the revoking caller, which no log or audit view may show as is. */
  private static final List<String> UNSTORABLE_NAMES =
      List.of("alice\nINFO admin granted", "alice\u0085", "alice\u202egnp.exe", "alice\u200b");

  @Test
  void revokeGameServer_callerNameWithControlCharacters_returns401AndStoresNothing() {
    AdminFixtures.enroll("gs-named");
    for (String name : UNSTORABLE_NAMES) {
      given()
          .auth()
          .oauth2(named(name))
          .contentType("application/json")
          .body(Map.of("reason", "test"))
          .when()
          .post("/api/game-servers/gs-named/revoke")
          .then()
          .spec(problem(401, "UNAUTHORIZED"));
    }
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .get("/api/game-servers/gs-named")
        .then()
        .statusCode(200)
        .body("status", equalTo("ACTIVE"));
    assertThat(auditTrail.query("SELECT 1 FROM revocations")).isEmpty();
  }

  @Test
  void revokeSession_callerNameWithControlCharacters_returns401AndStoresNothing() {
    String sw = newSwHash();
    AdminFixtures.enroll("gs-named", sw);
    SessionId session =
        auditTrail.addSession(new GsId("gs-named"), Hash.fromHex(sw), Instant.now());
    for (String name : UNSTORABLE_NAMES) {
      given()
          .auth()
          .oauth2(named(name))
          .contentType("application/json")
          .body(Map.of("reason", "test"))
          .when()
          .post("/api/sessions/" + session.hex() + "/revoke")
          .then()
          .spec(problem(401, "UNAUTHORIZED"));
    }
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .get("/api/sessions/" + session.hex())
        .then()
        .statusCode(200)
        .body("status", equalTo("ACTIVE"));
    assertThat(auditTrail.query("SELECT 1 FROM revocations")).isEmpty();
  }

  /** An admin token whose every name claim is {@code name}. */
  private static String named(String name) {
    Map<String, Object> claims = RawTokens.adminClaims();
    claims.put("upn", name);
    claims.put("sub", name);
    return RawTokens.sign(claims);
  }
}
