package dev.mmo.vs.gs;

import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.vs.admission.Admission;
import dev.mmo.vs.hsm.SoftHsmFixture;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the admission tests share: a game server endpoint to connect to, fixtures to enroll with, a
 * verifier of the VS's proofs, and a replica that admits when each test starts.
 */
abstract class AdmissionTestBase {
  static final Duration WAIT = Duration.ofSeconds(15);

  @TestHTTPResource("/gs")
  URI http;

  @Inject Pool pool;
  @Inject Admission admission;
  @Inject MeterRegistry meters;

  GsFixtures fixtures;
  VsProofVerifier proofs;
  URI gs;

  @BeforeEach
  void admitting() {
    fixtures = new GsFixtures(pool);
    proofs = new VsProofVerifier(TrustAnchors.of(SoftHsmFixture.vsPublicKey()));
    gs = URI.create(http.toString().replaceFirst("^http", "ws"));
    await().atMost(WAIT).until(admission::admitting);
  }
}
