package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What JAX-RS itself refuses under /api is problem details too. */
@QuarkusTest
class ProblemDetailsTest {
  @Test
  void unknownPathUnderApi_returns404Problem() {
    given()
        .auth()
        .oauth2(TestTokens.admin())
        .when()
        .get("/api/game-servers/gs-1/nothing-here")
        .then()
        .spec(problem(404, "NOT_FOUND"));
  }

  /**
   * A body over quarkus.http.limits.max-body-size is refused before anyone reads it: with
   * Content-Length as 413 PAYLOAD_TOO_LARGE problem details; without (chunked), when it grows over
   * the limit, by the HTTP layer, whose bare 413 the connection guard gives the same problem
   * document. Never a 500, and nothing logged as an error.
   */
  @Test
  void bodyAboveTheLimit_returns413AndLogsNoError() {
    byte[] tooLarge =
        ("{\"id\": \"gs-1\", \"publicKey\": \"" + "a".repeat(70 * 1024) + "\"}")
            .getBytes(StandardCharsets.US_ASCII);

    try (ErrorLog errors = ErrorLog.open()) {
      given()
          .auth()
          .oauth2(TestTokens.admin())
          .contentType(ContentType.JSON)
          .body(tooLarge)
          .when()
          .post("/api/game-servers")
          .then()
          .spec(problem(413, "PAYLOAD_TOO_LARGE"));
      // Without a token too: the size is checked before anything else.
      given()
          .contentType(ContentType.JSON)
          .body(tooLarge)
          .when()
          .post("/api/game-servers")
          .then()
          .spec(problem(413, "PAYLOAD_TOO_LARGE"));
      // From a stream: chunked, without Content-Length.
      given()
          .auth()
          .oauth2(TestTokens.admin())
          .contentType(ContentType.JSON)
          .body(new ByteArrayInputStream(tooLarge))
          .when()
          .post("/api/game-servers")
          .then()
          .spec(problem(413, "PAYLOAD_TOO_LARGE"));
      assertThat(errors.records()).isEmpty();
    }
  }

  /**
   * OPTIONS is not part of the admin API: JAX-RS's own answer advertised methods that some of the
   * paths do not have. Refused on every path, with a token or without.
   */
  @Test
  void options_anyApiPath_returns405Problem() {
    String session = "/api/sessions/" + "00".repeat(16);
    List<String> paths =
        List.of(
            "/api/game-servers",
            "/api/game-servers/gs-1",
            "/api/game-servers/gs-1/software",
            "/api/game-servers/gs-1/software/" + "ab".repeat(32),
            "/api/game-servers/gs-1/revoke",
            "/api/sessions",
            session,
            session + "/revoke",
            session + "/receipts",
            session + "/receipts/verify",
            session + "/revocations",
            "/api/revocations",
            "/api/trust-anchors",
            "/api/no-such-path");
    for (String path : paths) {
      given().when().options(path).then().spec(problem(405, "METHOD_NOT_ALLOWED"));
      given()
          .auth()
          .oauth2(TestTokens.admin())
          .when()
          .options(path)
          .then()
          .spec(problem(405, "METHOD_NOT_ALLOWED"))
          .header("Allow", nullValue());
    }
  }

  @Test
  void wrongMethod_returns405Problem() {
    given()
        .auth()
        .oauth2(TestTokens.admin())
        .when()
        .put("/api/sessions")
        .then()
        .spec(problem(405, "METHOD_NOT_ALLOWED"));
  }
}
