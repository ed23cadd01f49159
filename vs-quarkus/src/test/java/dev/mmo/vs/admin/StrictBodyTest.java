package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.AdminFixtures.newPublicKey;
import static dev.mmo.vs.admin.AdminFixtures.newSwHash;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every request body of the admin API is read strictly: a field named twice, a field of the wrong
 * JSON type (which Jackson would turn into a string) or an unknown field is refused with 400, and
 * nothing changes.
 */
@QuarkusTest
class StrictBodyTest {
  @Inject AuditTrail auditTrail;

  private String sw;
  private SessionId session;

  @BeforeEach
  void oneGameServerWithASession() {
    auditTrail.clear();
    sw = newSwHash();
    AdminFixtures.enroll("gs-1", sw);
    session = auditTrail.addSession(new GsId("gs-1"), Hash.fromHex(sw), Instant.now());
  }

  /** A request with a body, and what it would do if it were accepted. */
  private record Case(String name, String path, String body, int status, String code) {}

  private List<Case> cases() {
    String key = newPublicKey();
    String hash = newSwHash();
    String revoke = "/api/sessions/" + session.hex() + "/revoke";
    String verify = "/api/sessions/" + session.hex() + "/receipts/verify";
    return List.of(
        new Case(
            "enroll, id twice",
            "/api/game-servers",
            "{\"id\": \"gs-2\", \"publicKey\": \"" + key + "\", \"id\": \"gs-3\"}",
            400,
            "DUPLICATE_FIELD"),
        new Case(
            "enroll, id a number",
            "/api/game-servers",
            "{\"id\": 12, \"publicKey\": \"" + key + "\"}",
            400,
            "INVALID_BODY"),
        new Case(
            "enroll, id a boolean",
            "/api/game-servers",
            "{\"id\": true, \"publicKey\": \"" + key + "\"}",
            400,
            "INVALID_BODY"),
        new Case(
            "enroll, a software hash a number",
            "/api/game-servers",
            "{\"id\": \"gs-2\", \"publicKey\": \"" + key + "\", \"allowedSoftware\": [1]}",
            400,
            "INVALID_BODY"),
        new Case(
            "allow software, swHash twice",
            "/api/game-servers/gs-1/software",
            "{\"swHash\": \"" + hash + "\", \"swHash\": \"" + newSwHash() + "\"}",
            400,
            "DUPLICATE_FIELD"),
        new Case(
            "allow software, swHash a fraction",
            "/api/game-servers/gs-1/software",
            "{\"swHash\": 1.5}",
            400,
            "INVALID_BODY"),
        new Case(
            "revoke game server, reason twice",
            "/api/game-servers/gs-1/revoke",
            "{\"reason\": \"a\", \"reason\": \"b\"}",
            400,
            "DUPLICATE_FIELD"),
        new Case(
            "revoke game server, reason a boolean",
            "/api/game-servers/gs-1/revoke",
            "{\"reason\": false}",
            400,
            "INVALID_BODY"),
        new Case(
            "revoke session, reason twice",
            revoke,
            "{\"reason\": \"a\", \"reason\": \"b\"}",
            400,
            "DUPLICATE_FIELD"),
        new Case(
            "revoke session, reason a number", revoke, "{\"reason\": 42}", 400, "INVALID_BODY"),
        new Case(
            "revoke session, unknown field",
            revoke,
            "{\"reason\": \"a\", \"operator\": \"someone else\"}",
            400,
            "INVALID_BODY"),
        new Case(
            "verify, tips twice",
            verify,
            "{\"tips\": [], \"tips\": [{\"gsCounter\": 1, \"receiptTip\": \"" + hash + "\"}]}",
            400,
            "DUPLICATE_FIELD"),
        new Case(
            "verify, gsCounter twice inside a tip",
            verify,
            "{\"tips\": [{\"gsCounter\": 1, \"gsCounter\": 2, \"receiptTip\": \"" + hash + "\"}]}",
            400,
            "DUPLICATE_FIELD"),
        new Case(
            "verify, receiptTip a number",
            verify,
            "{\"tips\": [{\"gsCounter\": 1, \"receiptTip\": 7}]}",
            400,
            "INVALID_BODY"),
        new Case(
            "verify, a transcript frame a number",
            verify,
            "{\"transcript\": [7]}",
            400,
            "INVALID_BODY"));
  }

  @Test
  void everyBody_duplicateOrMistypedField_refusedAndNothingChanged() {
    List<String> failures = new ArrayList<>();
    try (ErrorLog errors = ErrorLog.open()) {
      for (Case c : cases()) {
        Response response =
            given()
                .auth()
                .oauth2(TestTokens.admin())
                .contentType("application/json")
                .body(c.body())
                .post(c.path());
        if (response.statusCode() != c.status()
            || !c.code().equals(response.path("code"))
            || !"application/problem+json".equals(response.contentType())) {
          failures.add(c.name() + ": " + response.statusCode() + " " + response.asString());
        }
      }
      assertThat(errors.records()).isEmpty();
    }
    assertThat(failures).isEmpty();
    assertThat(auditTrail.query("SELECT id FROM game_servers")).hasSize(1);
    assertThat(auditTrail.query("SELECT 1 FROM revocations")).isEmpty();
  }

  @Test
  void duplicateField_detailNamesTheField() {
    given()
        .auth()
        .oauth2(TestTokens.admin())
        .contentType("application/json")
        .body("{\"reason\": \"a\", \"reason\": \"b\"}")
        .post("/api/game-servers/gs-1/revoke")
        .then()
        .spec(Problems.problem(400, "DUPLICATE_FIELD"))
        .body("detail", org.hamcrest.Matchers.containsString("'reason'"));
  }
}
