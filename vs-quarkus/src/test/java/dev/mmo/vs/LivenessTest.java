package dev.mmo.vs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LivenessTest {
  @TestHTTPResource(value = "/health/live", management = true)
  URL live;

  @Test
  void liveness_applicationStarted_reportsUp() {
    given().when().get(live).then().statusCode(200).body("status", equalTo("UP"));
  }
}
