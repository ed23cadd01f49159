package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.Problems.problem;
import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
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
   * The HTTP layer refuses a body over quarkus.http.limits.max-body-size before JAX-RS sees it: a
   * bare 413 that closes the connection, with or without Content-Length; never a 500.
   */
  @Test
  void bodyAboveTheLimit_returns413() {
    byte[] tooLarge =
        ("{\"id\": \"gs-1\", \"publicKey\": \"" + "a".repeat(70 * 1024) + "\"}")
            .getBytes(StandardCharsets.US_ASCII);

    given()
        .auth()
        .oauth2(TestTokens.admin())
        .contentType(ContentType.JSON)
        .body(tooLarge)
        .when()
        .post("/api/game-servers")
        .then()
        .statusCode(413);
    // From a stream: chunked, without Content-Length.
    given()
        .auth()
        .oauth2(TestTokens.admin())
        .contentType(ContentType.JSON)
        .body(new ByteArrayInputStream(tooLarge))
        .when()
        .post("/api/game-servers")
        .then()
        .statusCode(413);
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
