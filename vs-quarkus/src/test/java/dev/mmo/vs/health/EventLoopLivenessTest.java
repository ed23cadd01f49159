package dev.mmo.vs.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.netty.util.concurrent.EventExecutor;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A replica with a stuck event loop is not live (so the orchestrator restarts it); once the loop
 * runs again, it is live again. Against the real VS, with a stall limit of two seconds.
 */
@QuarkusTest
@TestProfile(EventLoopLivenessTest.ShortStall.class)
class EventLoopLivenessTest {
  /** A loop silent for 2 s counts as stuck. */
  public static final class ShortStall implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("mmo.vs.liveness.max-event-loop-stall", "2s");
    }
  }

  @TestHTTPResource(value = "/health/live", management = true)
  URL live;

  @Inject Vertx vertx;

  @Test
  void stuckEventLoop_notLive_thenLiveAgain() {
    given().get(live).then().statusCode(200).body("status", equalTo("UP"));
    List<EventExecutor> loops = new ArrayList<>();
    vertx.nettyEventLoopGroup().forEach(loops::add);
    CountDownLatch release = new CountDownLatch(1);
    // One loop stuck; the others answer the probe and report it.
    loops
        .get(loops.size() - 1)
        .execute(
            () -> {
              try {
                release.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    try {
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () ->
                  given()
                      .get(live)
                      .then()
                      .statusCode(503)
                      .body(containsString("event loop(s) stuck for")));
    } finally {
      release.countDown();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> given().get(live).then().statusCode(200));
  }
}
