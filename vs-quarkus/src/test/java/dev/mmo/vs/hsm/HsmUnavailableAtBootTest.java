package dev.mmo.vs.hsm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.EcdsaP256;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.SigningException;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.batch.SigningUnavailableException;
import dev.mmo.vs.batch.StatementSigner;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The VS with a token it cannot use: it must start anyway, say so on readiness, refuse to sign, and
 * come back by itself once the token is usable. The VS reads its SunPKCS11 configuration from a
 * file this test controls, absent at start-up.
 */
@QuarkusTest
@TestProfile(HsmUnavailableAtBootTest.FlakyToken.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HsmUnavailableAtBootTest {
  static final Path CONFIG = Path.of("target", "hsm-flaky", "sunpkcs11.cfg");
  private static final byte[] MESSAGE =
      "mmo/v1/batch-head\0 flaky token test".getBytes(StandardCharsets.US_ASCII);

  /** Points the VS at {@link #CONFIG}, removed before start-up, and probes every 200 ms. */
  public static final class FlakyToken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        Files.deleteIfExists(CONFIG);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of(
          "mmo.vs.hsm.config",
          CONFIG.toAbsolutePath().toString(),
          "mmo.vs.hsm.probe-interval",
          "200ms");
    }
  }

  @TestHTTPResource(value = "/health/live", management = true)
  URL live;

  @TestHTTPResource(value = "/health/ready", management = true)
  URL ready;

  @Inject HsmSigner hsm;
  @Inject StatementSigner statements;
  @Inject MeterRegistry registry;

  @Test
  @Order(1)
  void start_tokenUnusable_startsNotReadyRefusesThenBecomesReadyWhenTheTokenReturns()
      throws Exception {
    given().get(live).then().statusCode(200);
    assertHsmReadiness(503, "DOWN");
    given().get("/api/trust-anchors").then().statusCode(503);
    double headsBefore = registry.get("mmo.vs.batch.heads.signed").counter().count();

    assertThatThrownBy(
            () -> statements.sign(receipt()).subscribeAsCompletionStage().get(15, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SigningUnavailableException.class);
    assertThat(registry.get("mmo.vs.batch.heads.signed").counter().count()).isEqualTo(headsBefore);

    install(SoftHsmFixture.SUNPKCS11_CONFIG);

    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertHsmReadiness(200, "UP"));
    assertThat(statements.sign(receipt()).await().atMost(Duration.ofSeconds(15)).statement())
        .isEqualTo(receipt());
    assertTrustAnchorIsTheTokensKey();
  }

  @Test
  @Order(2)
  void readiness_tokenBrokenWhileRunning_staysDownUntilRepairedThenRecovers() throws Exception {
    install(SoftHsmFixture.SUNPKCS11_CONFIG);
    await().atMost(Duration.ofSeconds(15)).until(() -> hsm.status().up());
    Path broken = CONFIG.resolveSibling("broken.cfg");
    Files.writeString(
        broken,
        Files.readString(SoftHsmFixture.SUNPKCS11_CONFIG)
            .replace("slotListIndex = 0", "slotListIndex = 9"));

    install(broken);
    SoftHsmFixture.logOutEveryone();

    assertThatThrownBy(
            () -> hsm.signAsync(MESSAGE).subscribeAsCompletionStage().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SigningException.class);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertHsmReadiness(503, "DOWN"));
    // The key of the last successful login is still served; the request does not log in.
    assertTrustAnchorIsTheTokensKey();
    // Every probe tries to log in again, and every one fails while the token is unusable.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> !hsm.status().up());

    install(SoftHsmFixture.SUNPKCS11_CONFIG);

    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertHsmReadiness(200, "UP"));
    EcdsaP256Signature signature = hsm.signAsync(MESSAGE).await().atMost(Duration.ofSeconds(10));
    assertThat(EcdsaP256.verify(SoftHsmFixture.vsPublicKey(), MESSAGE, signature)).isTrue();
  }

  private void assertHsmReadiness(int httpStatus, String hsmStatus) {
    given()
        .get(ready)
        .then()
        .statusCode(httpStatus)
        .body("checks.find { it.name == 'hsm' }.status", is(hsmStatus))
        // A fixed text: no provider exception, path or PKCS#11 code for whoever asks.
        .body(
            "checks.find { it.name == 'hsm' }.data.detail",
            is(
                hsmStatus.equals("UP")
                    ? HsmReadinessCheck.UP_DETAIL
                    : HsmReadinessCheck.DOWN_DETAIL));
  }

  private static void assertTrustAnchorIsTheTokensKey() {
    given()
        .get("/api/trust-anchors")
        .then()
        .statusCode(200)
        .body("keyId", contains(SoftHsmFixture.vsPublicKey().keyId().hex()));
  }

  private static void install(Path config) throws IOException {
    Files.createDirectories(CONFIG.getParent());
    Path staged = CONFIG.resolveSibling("staged.cfg");
    Files.copy(config, staged, StandardCopyOption.REPLACE_EXISTING);
    // Atomic, so a login never reads half a file.
    Files.move(staged, CONFIG, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static ProtectedReceipt receipt() {
    return new ProtectedReceipt(
        new SessionId(Bytes.zeros(SessionId.LENGTH)), 1, Hash.ZERO, Hash.ZERO, 1_700_000_000_000L);
  }
}
