package dev.mmo.vs.gs;

import static dev.mmo.vs.gs.GsFixtures.attested;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.Revoke;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two VS replicas from the packaged jar, sharing Redis, PostgreSQL, RabbitMQ and the HSM token: an
 * operator revokes a session on one, and the game server connected to the other gets the signed
 * Revoke through the RabbitMQ fan-out, long before any ticket round could have told it.
 */
class RevocationFanoutIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Tickets every 15 s: a Revoke that arrives within a few seconds came by the fan-out. */
  private static final Map<String, String> SLOW_TICKETS =
      Map.of(
          "MMO_VS_SESSION_TICKET_INTERVAL", "15s",
          "MMO_VS_SESSION_TICKET_LIFETIME", "30s");

  @Test
  void revokeDecidedOnOneReplica_reachesTheGameServerConnectedToTheOther() throws Exception {
    VsProofVerifier proofs = new VsProofVerifier(TrustAnchors.of(TwoReplicasIT.vsPublicKey()));
    Ed25519KeyPair gsKey = GsFixtures.freshKey();
    GsId id = GsFixtures.freshId();
    TwoReplicasIT.enroll(id, gsKey);

    try (VsProcess a = VsProcess.start("a", SLOW_TICKETS);
        VsProcess b = VsProcess.start("b", SLOW_TICKETS);
        GsTestClient onB = GsTestClient.connect(b.gsEndpoint())) {
      JoinAccept accept = join(onB, id, gsKey, proofs);

      long decided = System.nanoTime();
      HttpResponse<String> response = revokeOn(a, accept.sessionId().hex());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).contains("\"status\":\"REVOKED\"");

      Revoke revoke = proofs.verify(attested(onB.next(Duration.ofSeconds(5)), Revoke.class));
      long deliveredMs = (System.nanoTime() - decided) / 1_000_000;
      assertThat(revoke.sessionId()).isEqualTo(accept.sessionId());
      assertThat(revoke.reasonCode()).isEqualTo(Reason.OPERATOR_ACTION.code());
      assertThat(onB.closeStatus(WAIT))
          .isEqualTo(Reason.CLOSE_CODE_BASE + Reason.OPERATOR_ACTION.code());
      // The next ticket round of b is 15 s away: only the broadcast explains a Revoke this soon.
      assertThat(deliveredMs).isLessThan(5_000);
    }
  }

  @Test
  void gameServerRevokedOnOneReplica_itsSessionOnTheOtherGetsTheRevokeAtOnce() throws Exception {
    VsProofVerifier proofs = new VsProofVerifier(TrustAnchors.of(TwoReplicasIT.vsPublicKey()));
    Ed25519KeyPair gsKey = GsFixtures.freshKey();
    GsId id = GsFixtures.freshId();
    TwoReplicasIT.enroll(id, gsKey);

    try (VsProcess a = VsProcess.start("a", SLOW_TICKETS);
        VsProcess b = VsProcess.start("b", SLOW_TICKETS);
        GsTestClient onB = GsTestClient.connect(b.gsEndpoint())) {
      JoinAccept accept = join(onB, id, gsKey, proofs);

      long decided = System.nanoTime();
      HttpResponse<String> response = post(a, "/api/game-servers/" + id.value() + "/revoke");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

      Revoke revoke = proofs.verify(attested(onB.next(Duration.ofSeconds(5)), Revoke.class));
      long deliveredMs = (System.nanoTime() - decided) / 1_000_000;
      assertThat(revoke.sessionId()).isEqualTo(accept.sessionId());
      assertThat(revoke.reasonCode()).isEqualTo(Reason.OPERATOR_ACTION.code());
      assertThat(onB.closeStatus(WAIT))
          .isEqualTo(Reason.CLOSE_CODE_BASE + Reason.OPERATOR_ACTION.code());
      assertThat(deliveredMs).isLessThan(5_000);
    }
  }

  /** Joins a session over {@code client}; returns its JoinAccept once the first ticket came. */
  private static JoinAccept join(
      GsTestClient client, GsId id, Ed25519KeyPair gsKey, VsProofVerifier proofs) throws Exception {
    client.send(
        GsFixtures.joinRequest(
            id, gsKey, GsFixtures.freshKey(), GsFixtures.SOFTWARE, System.currentTimeMillis()));
    JoinAccept accept = proofs.verify(attested(client.next(WAIT), JoinAccept.class));
    proofs.verify(attested(client.next(WAIT), PlayTicket.class)); // the first ticket, at once
    return accept;
  }

  private static HttpResponse<String> revokeOn(VsProcess vs, String sessionHex)
      throws IOException, InterruptedException {
    return post(vs, "/api/sessions/" + sessionHex + "/revoke");
  }

  private static HttpResponse<String> post(VsProcess vs, String path)
      throws IOException, InterruptedException {
    String token = mintAdminToken();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(vs.httpBase() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"fan-out test\"}"))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A token from the dev key the packaged replicas trust (infra/jwt). */
  private static String mintAdminToken() throws IOException, InterruptedException {
    Process mint =
        new ProcessBuilder(
                Path.of("..", "infra", "jwt", "mint-token.sh").toString(),
                "admin",
                "fanout-it",
                "600")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String token =
        new String(mint.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    assertThat(mint.waitFor()).isZero();
    return token;
  }
}
