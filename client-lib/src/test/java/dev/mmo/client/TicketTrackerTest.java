package dev.mmo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.chain.TicketChainVerifier;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.SessionId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Freshness on the monotonic clock (protocol.md 10.2) at its edges. */
class TicketTrackerTest {
  private static final long M = 50_000; // the monotonic time ticket 1 arrives

  private final Statements s = new Statements();
  private final VsProofVerifier proofs = new VsProofVerifier(s.vs.anchors());
  private final List<Attested<PlayTicket>> chain = s.chain(4);

  private TicketTracker trackerWithFirstTicketAt(long m) throws Rejection {
    TicketChainVerifier verifier = new TicketChainVerifier(proofs, s.accept.statement(), 0);
    PlayTicket first = verifier.accept(chain.get(0), chain.get(0).statement().notBeforeMs());
    return new TicketTracker(verifier, first, m, new VsTimeMemory());
  }

  @Test
  void checkFresh_lastMillisecondOfLifetime_fresh() throws Exception {
    TicketTracker t = trackerWithFirstTicketAt(M);
    t.checkFresh(M);
    t.checkFresh(M + 4_999);
    assertThat(t.deadlineMs(M)).isEqualTo(M + 5_000);
  }

  @Test
  void checkFresh_lifetimeAfterReceipt_noFreshTicket() throws Exception {
    TicketTracker t = trackerWithFirstTicketAt(M);
    assertThatThrownBy(() -> t.checkFresh(M + 5_000))
        .isInstanceOfSatisfying(
            Rejection.class, r -> assertThat(r.reason()).isEqualTo(Reason.NO_FRESH_TICKET));
  }

  @Test
  void accept_nextTicketOnTime_deadlineMovesToItsReceiptPlusLifetime() throws Exception {
    TicketTracker t = trackerWithFirstTicketAt(M);
    // Ticket 2 starts 1 s of VS time later and arrives 1 s later: the kick bound is from its
    // arrival.
    t.accept(chain.get(1), M + 1_000);
    assertThat(t.newest().counter()).isEqualTo(2);
    assertThat(t.deadlineMs(M + 1_000)).isEqualTo(M + 6_000);
    t.checkFresh(M + 5_999);
    assertThatThrownBy(() -> t.checkFresh(M + 6_000)).isInstanceOf(Rejection.class);
  }

  @Test
  void accept_ticketDeliveredLate_stillLeavesWithinLifetimeOfItsArrival() throws Exception {
    TicketTracker t = trackerWithFirstTicketAt(M);
    // Ticket 2 arrives 3 s after ticket 1 although it was issued 1 s after: the estimate keeps
    // the earlier, better bound, so the client trusts it less than L after its arrival.
    t.accept(chain.get(1), M + 3_000);
    assertThat(t.deadlineMs(M + 3_000)).isEqualTo(M + 6_000);
    assertThat(t.deadlineMs(M + 3_000)).isLessThanOrEqualTo(M + 3_000 + 5_000);
  }

  @Test
  void accept_ticketDeliveredEarlierThanTheEstimate_raisesTheEstimate() throws Exception {
    // Ticket 1 was delayed by 2 s; ticket 2 arrives at once: the bound on VS time jumps forward.
    TicketTracker t = trackerWithFirstTicketAt(M);
    t.accept(chain.get(1), M + 100);
    assertThat(t.vsNow(M + 100)).isEqualTo(chain.get(1).statement().notBeforeMs());
    assertThat(t.deadlineMs(M + 100)).isEqualTo(M + 5_100);
  }

  @Test
  void accept_gap_rejectedAndNothingChanges() throws Exception {
    TicketTracker t = trackerWithFirstTicketAt(M);
    assertReason(() -> t.accept(chain.get(2), M + 100), Reason.CHAIN_GAP);
    assertThat(t.newest().counter()).isEqualTo(1);
    assertThat(t.deadlineMs(M)).isEqualTo(M + 5_000);
  }

  @Test
  void accept_replayedTicket_replay() throws Exception {
    TicketTracker t = trackerWithFirstTicketAt(M);
    t.accept(chain.get(1), M + 1_000);
    assertReason(() -> t.accept(chain.get(0), M + 1_000), Reason.REPLAY);
    assertThat(t.newest().counter()).isEqualTo(2);
  }

  @Test
  void accept_otherSession_wrongSession() throws Exception {
    TicketTracker t = trackerWithFirstTicketAt(M);
    PlayTicket two = chain.get(1).statement();
    Attested<PlayTicket> foreign =
        s.ticket(
            SessionId.random(Statements.RANDOM),
            2,
            two.notBeforeMs(),
            two.notAfterMs(),
            two.prevTicketHash());
    assertReason(() -> t.accept(foreign, M + 1_000), Reason.WRONG_SESSION);
  }

  @Test
  void accept_ticketSealedByUntrustedKey_unknownVsKeyAndClockUnmoved() throws Exception {
    TicketTracker t = trackerWithFirstTicketAt(M);
    PlayTicket two = chain.get(1).statement();
    PlayTicket future =
        new PlayTicket(
            two.sessionId(),
            two.clientBinding(),
            2,
            two.notBeforeMs() + 60_000,
            two.notAfterMs() + 60_000,
            two.prevTicketHash());
    Attested<PlayTicket> forged = new VsRoot().seal(future, future.notBeforeMs());
    // Even a far-future not_before from an untrusted key must not move the VS time estimate.
    assertReason(() -> t.accept(forged, M + 1_000), Reason.UNKNOWN_VS_KEY);
    assertThat(t.vsNow(M)).isEqualTo(chain.get(0).statement().notBeforeMs());
  }

  private static void assertReason(ThrowingRunnable r, Reason expected) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(Rejection.class, e -> assertThat(e.reason()).isEqualTo(expected));
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
