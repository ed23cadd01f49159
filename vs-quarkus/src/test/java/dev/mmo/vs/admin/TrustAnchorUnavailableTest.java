package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GET /api/trust-anchors when the VS never logged in to its HSM: 503, never a made-up key, and the
 * request itself never makes the VS try to log in.
 */
@QuarkusTest
@TestProfile(TrustAnchorUnavailableTest.NoHsm.class)
class TrustAnchorUnavailableTest {
  /**
   * A SunPKCS11 configuration that does not exist, so every login fails; the probe runs once at
   * start-up and then not for an hour, so any later login attempt would be the request's.
   */
  public static final class NoHsm implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "mmo.vs.hsm.config", "target/no-such-hsm/sunpkcs11.cfg",
          "mmo.vs.hsm.probe-interval", "1h");
    }
  }

  @Inject MeterRegistry registry;

  @Test
  void anchors_hsmNeverLoggedIn_returns503WithRetryAfter() {
    given()
        .when()
        .get("/api/trust-anchors")
        .then()
        .spec(problem(503, "TRUST_ANCHORS_UNAVAILABLE"))
        .header("Retry-After", equalTo("5"));
  }

  @Test
  void anchors_hsmNeverLoggedIn_requestsNeverTryToLogIn() {
    // The start-up probe's login attempt, and only that one.
    await().atMost(Duration.ofSeconds(30)).until(() -> loginFailures() >= 1);
    double before = loginFailures();

    for (int i = 0; i < 20; i++) {
      given().get("/api/trust-anchors").then().statusCode(503);
    }

    assertThat(loginFailures()).isEqualTo(before);
  }

  private double loginFailures() {
    return registry.get("mmo.vs.hsm.failures").tag("stage", "login").counter().count();
  }
}
