package dev.mmo.protocol.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.testing.Scenario;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.PlayTicket;
import org.junit.jupiter.api.Test;

class TicketChainTest {
  private static final Scenario S = new Scenario();
  private final VsProofVerifier proofs = new VsProofVerifier(S.anchors);

  @Test
  void continuingAfter_aTrustedLaterTicket_acceptsTheNextOneOnly() throws Rejection {
    PlayTicket t2 = S.tickets.get(1).statement();
    TicketChainVerifier verifier = TicketChainVerifier.continuingAfter(proofs, t2, 0);
    long now = S.tickets.get(2).statement().notBeforeMs();

    assertThatThrownBy(() -> verifier.accept(S.tickets.get(1), now))
        .extracting(e -> ((Rejection) e).reason())
        .isEqualTo(Reason.REPLAY);
    assertThat(verifier.accept(S.tickets.get(2), now).counter()).isEqualTo(3);
    assertThat(verifier.latest()).contains(S.tickets.get(2).statement());
  }

  @Test
  void accept_rejectedTicket_leavesChainUnchanged() throws Rejection {
    TicketChainVerifier verifier = new TicketChainVerifier(proofs, S.joinAcceptStatement, 0);
    PlayTicket t1 = S.tickets.get(0).statement();
    assertThatThrownBy(() -> verifier.accept(S.tickets.get(0), t1.notBeforeMs() - 1))
        .extracting(e -> ((Rejection) e).reason())
        .isEqualTo(Reason.TICKET_NOT_YET_VALID);
    assertThat(verifier.chain().lastCounter()).isZero();
    assertThat(verifier.latest()).isEmpty();
    verifier.accept(S.tickets.get(0), t1.notBeforeMs());
    assertThat(verifier.chain().lastCounter()).isEqualTo(1);
  }

  @Test
  void checkFresh_afterTheNewestTicketEnds_expiredUntilTheNextLink() throws Rejection {
    TicketChainVerifier verifier = new TicketChainVerifier(proofs, S.joinAcceptStatement, 0);
    PlayTicket t1 = S.tickets.get(0).statement();
    PlayTicket t2 = S.tickets.get(1).statement();
    verifier.accept(S.tickets.get(0), t1.notBeforeMs());
    assertThat(verifier.checkFresh(t1.notAfterMs() - 1)).isEqualTo(t1);
    assertThatThrownBy(() -> verifier.checkFresh(t1.notAfterMs()))
        .extracting(e -> ((Rejection) e).reason())
        .isEqualTo(Reason.TICKET_EXPIRED);
    verifier.accept(S.tickets.get(1), t1.notAfterMs());
    assertThat(verifier.checkFresh(t1.notAfterMs())).isEqualTo(t2);
  }

  @Test
  void vsClock_wallClockOffByHours_stillExpiresTicketOneLifetimeAfterReceipt() throws Rejection {
    VsClock clock = new VsClock();
    PlayTicket t1 = S.tickets.get(0).statement();
    long receivedAtMonotonic = 42_000; // a monotonic clock has no relation to wall time
    assertThat(clock.now(receivedAtMonotonic)).isEmpty();
    clock.observe(t1, receivedAtMonotonic);

    long lifetime = t1.notAfterMs() - t1.notBeforeMs();
    TicketFreshness.check(t1, clock.now(receivedAtMonotonic + lifetime - 1).getAsLong(), 0);
    assertThatThrownBy(
            () ->
                TicketFreshness.check(t1, clock.now(receivedAtMonotonic + lifetime).getAsLong(), 0))
        .extracting(e -> ((Rejection) e).reason())
        .isEqualTo(Reason.TICKET_EXPIRED);
  }

  @Test
  void vsClock_lateDelivery_neverMovesTheEstimateBack() {
    VsClock clock = new VsClock();
    PlayTicket t1 = S.tickets.get(0).statement();
    PlayTicket t2 = S.tickets.get(1).statement();
    clock.observe(t2, 1_000);
    long before = clock.now(1_000).getAsLong();
    // Ticket 1 delivered late (a GS holding tickets back) must not drag VS time backwards.
    clock.observe(t1, 1_000);
    assertThat(clock.now(1_000).getAsLong()).isEqualTo(before).isEqualTo(t2.notBeforeMs());
  }

  @Test
  void receiptTip_orderMatters() {
    byte[] a = {1};
    byte[] b = {2};
    assertThat(ReceiptTip.fold(ReceiptTip.fold(ReceiptTip.GENESIS, a), b))
        .isNotEqualTo(ReceiptTip.fold(ReceiptTip.fold(ReceiptTip.GENESIS, b), a));
  }
}
