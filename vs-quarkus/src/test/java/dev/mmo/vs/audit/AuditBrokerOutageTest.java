package dev.mmo.vs.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.testing.ProxiedService;
import dev.mmo.vs.testing.TcpProxy;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The broker taken away from the VS (a proxy cut, the shared broker keeps running): readiness goes
 * down, audit records are refused at once, and both come back by themselves when it returns.
 */
@QuarkusTest
@WithTestResource(ProxiedService.Broker.class)
class AuditBrokerOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Inject AuditLog audit;
  @Inject AuditBrokerHealth broker;
  @Inject Pool pool;
  @Inject MeterRegistry registry;

  @TestHTTPResource(value = "/health/ready", management = true)
  URL ready;

  @Test
  void brokerAway_notReadyAndRecordsRefused_thenBackByItself() {
    SessionId session = AuditFixtures.newSession(pool);
    await().atMost(WAIT).until(() -> readiness() == 200 && broker.isUp());
    TcpProxy proxy = ProxiedService.Broker.proxy;
    // One record first, so the publishing side has a live connection to lose.
    publish(session, 1);
    double refusedBefore = brokerDownRefusals();

    proxy.cut();
    await().atMost(WAIT).until(() -> readiness() == 503 && !broker.isUp());
    assertThatThrownBy(() -> publish(session, 2)).isInstanceOf(AuditUnavailableException.class);
    assertThat(brokerDownRefusals()).isGreaterThan(refusedBefore);

    proxy.restore();
    await().atMost(WAIT).until(() -> readiness() == 200 && broker.isUp());
    publish(session, 3);
    await()
        .atMost(WAIT)
        .until(
            () ->
                pool.preparedQuery("SELECT count(*) FROM receipts WHERE session_id = $1")
                        .execute(Tuple.of(Buffer.buffer(session.bytes().toByteArray())))
                        .await()
                        .atMost(WAIT)
                        .iterator()
                        .next()
                        .getLong(0)
                    == 2);
  }

  private void publish(SessionId session, long counter) {
    audit
        .receipt(AuditFixtures.receipt(session, counter), AuditFixtures.digestFrame(counter))
        .await()
        .atMost(WAIT);
  }

  private int readiness() {
    return given().get(ready).then().extract().statusCode();
  }

  private double brokerDownRefusals() {
    return registry
        .get("mmo.vs.audit.publish.failures")
        .tag("reason", "broker_down")
        .counter()
        .count();
  }
}
