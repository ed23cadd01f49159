package dev.mmo.vs.gs;

import static dev.mmo.vs.gs.GsFixtures.attested;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Heartbeat;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import dev.mmo.vs.hsm.HsmSigner;
import dev.mmo.vs.testing.ProxiedService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis really unreachable (a proxy between this VS and the machine's Redis, cut): no ticket and no
 * receipt is issued while it is down, readiness is down, and both come back by themselves.
 */
@QuarkusTest
@QuarkusTestResource(value = ProxiedService.Redis.class, restrictToAnnotatedClass = true)
class RedisOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TestHTTPResource("/gs")
  URI http;

  @TestHTTPResource(value = "/health/ready", management = true)
  URL ready;

  @Inject Pool pool;
  @Inject HsmSigner hsm;

  @AfterEach
  void restore() {
    ProxiedService.Redis.proxy.restore();
  }

  @Test
  void redisDown_nothingIssuedAndNotReady_thenBothRecover() throws Exception {
    VsProofVerifier proofs = new VsProofVerifier(TrustAnchors.of(hsm.publicKey()));
    GsFixtures fixtures = new GsFixtures(pool);
    Ed25519KeyPair gsKey = GsFixtures.freshKey();
    GsId id = fixtures.enroll(GsFixtures.freshId(), gsKey);
    Ed25519KeyPair sessionKey = GsFixtures.freshKey();
    Ed25519KeyPair player = GsFixtures.freshKey();
    URI gs = URI.create(http.toString().replaceFirst("^http", "ws"));
    // This profile starts its own VS: nothing is signed before it is ready (the broker seen up).
    await().atMost(WAIT).until(() -> readiness() == 200);

    try (GsTestClient client = GsTestClient.connect(gs)) {
      client.send(
          GsFixtures.joinRequest(
              id, gsKey, sessionKey, GsFixtures.SOFTWARE, System.currentTimeMillis()));
      JoinAccept accept = proofs.verify(attested(client.next(WAIT), JoinAccept.class));
      long lastTicket = proofs.verify(attested(client.next(WAIT), PlayTicket.class)).counter();
      client.send(digest(accept, sessionKey, player, 1, 1));
      assertThat(nextReceipt(client, proofs).gsCounter()).isEqualTo(1);
      assertThat(readiness()).isEqualTo(200);

      ProxiedService.Redis.proxy.cut();
      await().atMost(WAIT).until(() -> readiness() == 503);
      drain(client); // what was in flight when Redis went away
      client.send(heartbeat(accept, sessionKey, 2));
      client.send(digest(accept, sessionKey, player, 3, 2));
      // Several ticket intervals (300 ms in tests): no ticket, no receipt.
      client.assertNoFrameWithin(Duration.ofSeconds(2));

      ProxiedService.Redis.proxy.restore();
      await().atMost(WAIT).until(() -> readiness() == 200);
      PlayTicket next = proofs.verify(attested(nextTicket(client), PlayTicket.class));
      assertThat(next.counter()).isGreaterThan(lastTicket);
      client.send(digest(accept, sessionKey, player, 4, 3));
      assertThat(nextReceipt(client, proofs).gsCounter()).isEqualTo(4);
    }
  }

  private int readiness() throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(ready.toURI()).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static void drain(GsTestClient client) throws Exception {
    while (true) {
      try {
        client.next(Duration.ofMillis(500));
      } catch (AssertionError none) {
        return;
      }
    }
  }

  private static Frame nextTicket(GsTestClient client) throws Exception {
    return client.next(WAIT);
  }

  private static ProtectedReceipt nextReceipt(GsTestClient client, VsProofVerifier proofs)
      throws Exception {
    while (true) {
      Frame frame = client.next(WAIT);
      Attested<?> a = (Attested<?>) frame;
      if (a.statement() instanceof ProtectedReceipt) {
        @SuppressWarnings("unchecked")
        Attested<ProtectedReceipt> receipt = (Attested<ProtectedReceipt>) a;
        return proofs.verify(receipt);
      }
      assertThat(a.statement()).isInstanceOf(PlayTicket.class);
    }
  }

  private static byte[] heartbeat(JoinAccept accept, Ed25519KeyPair key, long counter) {
    return Codec.encode(
        Signed.sign(
            new Heartbeat(
                accept.sessionId(),
                counter,
                System.currentTimeMillis(),
                Hash.ZERO,
                GsFixtures.SOFTWARE),
            key));
  }

  private static byte[] digest(
      JoinAccept accept, Ed25519KeyPair key, Ed25519KeyPair player, long counter, long tick) {
    return Codec.encode(
        Signed.sign(
            new TranscriptDigest(
                accept.sessionId(),
                counter,
                tick,
                System.currentTimeMillis(),
                Hash.ZERO,
                List.of(new PlayerPosition(player.publicKey(), new Vec2(0, 0)))),
            key));
  }
}
