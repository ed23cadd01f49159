package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Query parameters have one spelling, like bodies: a parameter named twice, or a number with a
 * sign, a leading zero or digits of another script, is refused with 400.
 */
@QuarkusTest
class StrictQueryTest {
  private static final String SESSION = "/api/sessions/" + "00".repeat(16);

  @Test
  void repeatedParameter_returns400() {
    List<String> failures = new ArrayList<>();
    for (String query :
        List.of(
            "/api/game-servers?limit=1&limit=200",
            "/api/sessions?status=ACTIVE&status=ENDED",
            "/api/sessions?gsId=gs-1&gsId=gs-2",
            "/api/revocations?reason=50&reason=53",
            SESSION + "/receipts?fromCounter=1&fromCounter=9",
            SESSION + "/revocations?offset=0&offset=5")) {
      Response response =
          given().auth().oauth2(TestTokens.operator()).urlEncodingEnabled(false).get(query);
      if (response.statusCode() != 400
          || !"DUPLICATE_QUERY_PARAMETER".equals(response.path("code"))) {
        failures.add(query + ": " + response.statusCode() + " " + response.asString());
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void numberInAnotherSpelling_returns400() {
    List<String> failures = new ArrayList<>();
    for (String value : List.of("+5", "05", "%D9%A5", "5%20", "-0", "1e1", "0x10")) {
      check(failures, "/api/game-servers?limit=" + value, "INVALID_PAGE");
      check(failures, "/api/sessions?offset=" + value, "INVALID_PAGE");
      check(failures, SESSION + "/receipts?fromCounter=" + value, "INVALID_GS_COUNTER");
    }
    assertThat(failures).isEmpty();
  }

  /** The control: the plain spelling is accepted. */
  @Test
  void plainNumbers_areAccepted() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .get("/api/game-servers?limit=5&offset=0")
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .get("/api/sessions?offset=10")
        .then()
        .statusCode(200);
  }

  @Test
  void repeatedParameter_problemNamesIt() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .get("/api/game-servers?limit=1&limit=2")
        .then()
        .spec(problem(400, "DUPLICATE_QUERY_PARAMETER"))
        .body("detail", org.hamcrest.Matchers.containsString("'limit'"));
  }

  private static void check(List<String> failures, String query, String code) {
    Response response =
        given().auth().oauth2(TestTokens.operator()).urlEncodingEnabled(false).get(query);
    if (response.statusCode() != 400 || !code.equals(response.path("code"))) {
      failures.add(query + ": " + response.statusCode() + " " + response.asString());
    }
  }
}
