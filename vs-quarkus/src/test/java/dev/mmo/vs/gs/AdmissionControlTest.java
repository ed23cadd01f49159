package dev.mmo.vs.gs;

import static dev.mmo.vs.gs.GsFixtures.attested;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.chain.TicketChainVerifier;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A replica that is behind refuses new sessions and keeps serving the ones it carries: joins are
 * closed with SERVICE_UNAVAILABLE, resumes and tickets go on, and joins are admitted again once it
 * has caught up. "Behind" is made real by {@link HeldBehind}.
 */
@QuarkusTest
class AdmissionControlTest extends AdmissionTestBase {
  @Test
  void behind_refusesJoinsKeepsSessionsAndAdmitsAgainOnceCaughtUp() throws Exception {
    Ed25519KeyPair key = GsFixtures.freshKey();
    GsId id = fixtures.enroll(GsFixtures.freshId(), key);
    Ed25519KeyPair sessionKey = GsFixtures.freshKey();
    GsTestClient carried = GsTestClient.connect(gs);
    carried.send(GsFixtures.joinRequest(id, key, sessionKey, GsFixtures.SOFTWARE, now()));
    JoinAccept accept = proofs.verify(attested(carried.next(WAIT), JoinAccept.class));
    TicketChainVerifier chain = new TicketChainVerifier(proofs, accept, 2_000);
    chain.accept(attested(carried.next(WAIT), PlayTicket.class), now());
    double refusedBefore = refusedJoins();

    HeldBehind behind = HeldBehind.start(admission);
    try {
      await().atMost(WAIT).until(() -> !admission.admitting());

      try (GsTestClient refused = GsTestClient.connect(gs)) {
        refused.send(
            GsFixtures.joinRequest(id, key, GsFixtures.freshKey(), GsFixtures.SOFTWARE, now()));
        assertThat(refused.closeStatus(WAIT)).isEqualTo(Reason.SERVICE_UNAVAILABLE.closeCode());
        assertThat(refused.closeReason(WAIT)).isEqualTo(Reason.SERVICE_UNAVAILABLE.name());
        refused.assertNoFrameWithin(Duration.ZERO);
      }
      assertThat(refusedJoins()).isEqualTo(refusedBefore + 1);
      // Only the first session: the refused join made none.
      assertThat(fixtures.sessionRows(id)).isEqualTo(1);

      // The session carried goes on: its tickets keep coming, and its game server may resume it.
      chain.accept(attested(carried.next(WAIT), PlayTicket.class), now());
      carried.close();
      try (GsTestClient resumed = GsTestClient.connect(gs)) {
        resumed.send(GsFixtures.resumeRequest(accept.sessionId(), 1, now(), sessionKey));
        PlayTicket again = proofs.verify(attested(resumed.next(WAIT), PlayTicket.class));
        assertThat(again.sessionId()).isEqualTo(accept.sessionId());
      }
    } finally {
      behind.stop();
    }

    await().atMost(WAIT).until(admission::admitting);
    try (GsTestClient admitted = GsTestClient.connect(gs)) {
      admitted.send(
          GsFixtures.joinRequest(id, key, GsFixtures.freshKey(), GsFixtures.SOFTWARE, now()));
      JoinAccept second = proofs.verify(attested(admitted.next(WAIT), JoinAccept.class));
      assertThat(second.gsId()).isEqualTo(id);
    }
  }

  private double refusedJoins() {
    return meters.get("mmo.vs.admission.refused.joins").tag("cause", "behind").counter().count();
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
