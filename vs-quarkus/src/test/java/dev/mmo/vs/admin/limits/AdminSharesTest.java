package dev.mmo.vs.admin.limits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import dev.mmo.vs.admin.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin limits that count everyone together, against the real VS: tokens not seen before in an
 * authenticated request, and the bytes of receipt verifications. Each is answered 429
 * TOO_MANY_REQUESTS with Retry-After while known tokens and other requests go on.
 */
@QuarkusTest
@TestProfile(AdminSharesTest.SmallShares.class)
class AdminSharesTest {
  private static final int NEW_TOKEN_BURST = 3;
  private static final int VERIFY_BYTES_BURST = 3_500;

  /** Three new tokens at once, then one a minute; 3,500 bytes of verifications, 10 a second. */
  public static final class SmallShares implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "mmo.admin.limits.new-tokens-per-second",
          "1",
          "mmo.admin.limits.new-token-burst",
          Integer.toString(NEW_TOKEN_BURST),
          "mmo.admin.limits.verify-bytes-per-second",
          "10",
          "mmo.admin.limits.verify-bytes-burst",
          Integer.toString(VERIFY_BYTES_BURST));
    }
  }

  /** The one token both tests use as a known one (the first request that passes makes it so). */
  private static final String KNOWN = TestTokens.withRoles("shares-known", "operator");

  @Test
  void tokensNotSeenBefore_shareOneBudget_knownTokensGoOn() {
    String known = KNOWN;
    given().auth().oauth2(known).get("/api/revocations").then().statusCode(200);
    int served = 0;
    int limited = 0;
    for (int i = 0; i < NEW_TOKEN_BURST + 3; i++) {
      int status =
          given()
              .auth()
              .oauth2(TestTokens.withRoles("shares-new-" + i, "operator"))
              .get("/api/revocations")
              .statusCode();
      if (status == 200) {
        served++;
      } else if (status == 429) {
        limited++;
      }
    }
    org.assertj.core.api.Assertions.assertThat(served).isLessThanOrEqualTo(NEW_TOKEN_BURST);
    org.assertj.core.api.Assertions.assertThat(limited).isGreaterThanOrEqualTo(2);
    given()
        .auth()
        .oauth2(TestTokens.withRoles("shares-new-last", "operator"))
        .get("/api/revocations")
        .then()
        .statusCode(429)
        .header("Retry-After", matchesPattern("[1-9][0-9]*"))
        .body("code", equalTo("TOO_MANY_REQUESTS"));
    given().auth().oauth2(known).get("/api/revocations").then().statusCode(200);
  }

  @Test
  void verifications_shareABudgetOfBodyBytes_countedBeforeTheyAreRead() {
    String body =
        "{\"tips\":[{\"gsCounter\":1,\"receiptTip\":\""
            + "ab".repeat(32)
            + "\"}]}"
            + " ".repeat(900);
    String path = "/api/sessions/" + "0".repeat(32) + "/receipts/verify";
    String token = KNOWN;
    given().auth().oauth2(token).get("/api/revocations").then().statusCode(200);
    // Three of these (about 1,000 bytes each) fit the burst; the session does not exist: each is
    // read, then 404.
    for (int i = 0; i < 3; i++) {
      given()
          .auth()
          .oauth2(token)
          .contentType("application/json")
          .body(body)
          .post(path)
          .then()
          .log()
          .ifValidationFails()
          .statusCode(404)
          .body("code", equalTo("SESSION_NOT_FOUND"));
    }
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(body)
        .post(path)
        .then()
        .statusCode(429)
        .header("Retry-After", matchesPattern("[1-9][0-9]*"))
        .body("code", equalTo("TOO_MANY_REQUESTS"));
    // Other admin requests are not held back by it.
    given().auth().oauth2(token).get("/api/revocations").then().statusCode(200);
  }
}
