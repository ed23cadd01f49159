package dev.mmo.vs.gs;

import static dev.mmo.vs.gs.GsFixtures.attested;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A replica whose frames keep waiting past their limit sheds sessions: it closes the newest bound
 * connection with SERVICE_UNAVAILABLE, refuses resumes while it sheds, and takes the session back
 * once it has caught up. "Behind" is made real by {@link HeldBehind}: every window shows the same
 * wait, so the backlog is not draining.
 */
@QuarkusTest
@TestProfile(AdmissionShedTest.SheddingSoon.class)
class AdmissionShedTest extends AdmissionTestBase {
  /** Sheds from the first window behind, half the sessions (at least one) each window. */
  public static class SheddingSoon implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "mmo.vs.admission.shed-after", "1s",
          "mmo.vs.admission.shed-percent", "50");
    }
  }

  @Test
  void framesBehindAndNotDraining_shedsTheNewestSessionRefusesResumesThenTakesItBack()
      throws Exception {
    Ed25519KeyPair key = GsFixtures.freshKey();
    GsId id = fixtures.enroll(GsFixtures.freshId(), key);
    GsTestClient older = GsTestClient.connect(gs);
    older.send(GsFixtures.joinRequest(id, key, GsFixtures.freshKey(), GsFixtures.SOFTWARE, now()));
    proofs.verify(attested(older.next(WAIT), JoinAccept.class));
    proofs.verify(attested(older.next(WAIT), PlayTicket.class));
    Ed25519KeyPair newerKey = GsFixtures.freshKey();
    GsTestClient newer = GsTestClient.connect(gs);
    newer.send(GsFixtures.joinRequest(id, key, newerKey, GsFixtures.SOFTWARE, now()));
    JoinAccept accept = proofs.verify(attested(newer.next(WAIT), JoinAccept.class));
    proofs.verify(attested(newer.next(WAIT), PlayTicket.class));
    double shedBefore = counter("mmo.vs.admission.shed.sessions");
    double resumesRefusedBefore = counter("mmo.vs.admission.refused.resumes");

    HeldBehind behind = HeldBehind.start(admission);
    try {
      // The newest session goes first; the older one is still carried at that moment.
      assertThat(newer.closeStatus(WAIT)).isEqualTo(Reason.SERVICE_UNAVAILABLE.closeCode());
      assertThat(newer.closeReason(WAIT)).isEqualTo(Reason.SERVICE_UNAVAILABLE.name());
      // One session a window: the older one is shed a window (a second) later at the earliest.
      assertThatThrownBy(() -> older.closeStatus(Duration.ZERO))
          .isInstanceOf(TimeoutException.class);
      assertThat(counter("mmo.vs.admission.shed.sessions")).isGreaterThan(shedBefore);

      // While it sheds, the replica takes no session back.
      try (GsTestClient refused = GsTestClient.connect(gs)) {
        refused.send(GsFixtures.resumeRequest(accept.sessionId(), 1, now(), newerKey));
        assertThat(refused.closeStatus(WAIT)).isEqualTo(Reason.SERVICE_UNAVAILABLE.closeCode());
        refused.assertNoFrameWithin(Duration.ZERO);
      }
      assertThat(counter("mmo.vs.admission.refused.resumes")).isEqualTo(resumesRefusedBefore + 1);
      // Each window behind sheds again: the older session follows.
      assertThat(older.closeStatus(WAIT)).isEqualTo(Reason.SERVICE_UNAVAILABLE.closeCode());
    } finally {
      behind.stop();
    }

    // Caught up: admission reopens and the shed session resumes, its ticket chain intact.
    await().atMost(WAIT).until(admission::admitting);
    try (GsTestClient resumed = GsTestClient.connect(gs)) {
      resumed.send(GsFixtures.resumeRequest(accept.sessionId(), 1, now(), newerKey));
      PlayTicket again = proofs.verify(attested(resumed.next(WAIT), PlayTicket.class));
      assertThat(again.sessionId()).isEqualTo(accept.sessionId());
    }
  }

  private double counter(String name) {
    return meters.get(name).counter().count();
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
