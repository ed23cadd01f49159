package dev.mmo.vs.hsm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import dev.mmo.protocol.crypto.EcdsaP256;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.SigningException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The VS key on the real SoftHSM token: worker pool, verification, failure and recovery. */
@QuarkusTest
class HsmSignerTest {
  private static final byte[] MESSAGE =
      "mmo/v1/batch-head\0 hsm signer test".getBytes(StandardCharsets.US_ASCII);

  @TestHTTPResource(value = "/health/ready", management = true)
  URL ready;

  @Inject HsmSigner hsm;
  @Inject MeterRegistry registry;
  @Inject Vertx vertx;

  @BeforeEach
  void tokenUsable() {
    await().atMost(Duration.ofSeconds(30)).until(() -> hsm.status().up());
  }

  @Test
  void signAsync_tokenUsable_signsOnAnHsmThreadWithTheCertifiedKey() throws Exception {
    AtomicReference<String> thread = new AtomicReference<>();
    EcdsaP256Signature signature =
        hsm.withKey(
                key -> {
                  thread.set(Thread.currentThread().getName());
                  return key.sign(MESSAGE);
                })
            .await()
            .atMost(Duration.ofSeconds(10));

    assertThat(thread.get()).startsWith("mmo-hsm-sign-");
    assertThat(signature.isCanonical()).isTrue();
    assertThat(EcdsaP256.verify(SoftHsmFixture.vsPublicKey(), MESSAGE, signature)).isTrue();
    assertThat(hsm.publicKey()).isEqualTo(SoftHsmFixture.vsPublicKey());
  }

  @Test
  void signAsync_success_recordsTheSignLatency() {
    long before = registry.get("mmo.vs.hsm.sign").timer().count();

    hsm.signAsync(MESSAGE).await().atMost(Duration.ofSeconds(10));

    assertThat(registry.get("mmo.vs.hsm.sign").timer().count()).isGreaterThan(before);
  }

  @Test
  void sign_onEventLoop_isRefusedWithSigningException() throws Exception {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    vertx.runOnContext(
        ignored -> {
          try {
            hsm.sign(MESSAGE);
            outcome.complete(null);
          } catch (SigningException e) {
            outcome.complete(e);
          }
        });

    assertThat(outcome.get(10, TimeUnit.SECONDS))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("event loop");
  }

  @Test
  void signAsync_tokenLoggedOut_failsClosedThenRecoversByItself() throws Exception {
    double failuresBefore = failures("sign");
    SoftHsmFixture.logOutEveryone();

    Uni<EcdsaP256Signature> afterLogout = hsm.signAsync(MESSAGE);

    assertThatThrownBy(() -> afterLogout.subscribeAsCompletionStage().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SigningException.class);
    assertThat(failures("sign")).isGreaterThan(failuresBefore);
    // Nobody logs in by hand: the probe (or the next use) does, and readiness follows.
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                given()
                    .get(ready)
                    .then()
                    .statusCode(200)
                    .body("checks.find { it.name == 'hsm' }.status", is("UP")));
    EcdsaP256Signature recovered = hsm.signAsync(MESSAGE).await().atMost(Duration.ofSeconds(10));
    assertThat(EcdsaP256.verify(SoftHsmFixture.vsPublicKey(), MESSAGE, recovered)).isTrue();
  }

  private double failures(String stage) {
    return registry.get("mmo.vs.hsm.failures").tag("stage", stage).counter().count();
  }
}
