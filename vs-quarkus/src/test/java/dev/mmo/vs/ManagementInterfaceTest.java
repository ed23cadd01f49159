package dev.mmo.vs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Health and metrics are served on the management port only, never on the public one. */
@QuarkusTest
class ManagementInterfaceTest {
  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @TestHTTPResource(value = "/health/ready", management = true)
  URL ready;

  @Test
  void metricsAndHealth_onTheManagementPort_areServed() {
    given().get(metrics).then().statusCode(200).body(containsString("mmo_vs_hsm_up"));
    given().get(ready).then().body(containsString("\"hsm\""));
  }

  @Test
  void metricsAndHealth_onTheMainPort_areNotFound() {
    for (String path : List.of("/q/metrics", "/q/health", "/q/health/ready", "/q/health/live")) {
      given().get(path).then().statusCode(404);
    }
  }

  @Test
  void openApi_staysOnTheMainPort() {
    given().get("/q/openapi").then().statusCode(200);
  }
}
