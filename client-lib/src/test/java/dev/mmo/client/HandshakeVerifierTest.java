package dev.mmo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Challenge;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.SessionId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks of protocol.md 10.1 step 4, each alone and in their order. */
class HandshakeVerifierTest {
  private static final long W = 60_000;
  private static final long MONO = 1_000;

  private final Statements s = new Statements();
  private final VsTimeMemory memory = new VsTimeMemory();
  private final HandshakeVerifier verifier =
      new HandshakeVerifier(new VsProofVerifier(s.vs.anchors()), W, memory);
  private final List<Attested<PlayTicket>> chain = s.chain(4);

  /** The client's wall clock: the newest ticket's issue time, plus {@code skew}. */
  private long wallAt(List<Attested<PlayTicket>> shown, long skew) {
    return shown.get(shown.size() - 1).statement().notBeforeMs() + skew;
  }

  private HandshakeVerifier.Verified verify(byte[] frame, List<Attested<PlayTicket>> shown)
      throws Rejection {
    return verifier.verify(
        frame, s.clientKey.publicKey(), s.challenge, Statements.GS_ID, wallAt(shown, 0), MONO);
  }

  private void assertRefused(byte[] frame, List<Attested<PlayTicket>> shown, Reason expected) {
    assertThatThrownBy(() -> verify(frame, shown))
        .isInstanceOfSatisfying(
            Rejection.class, e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(expected));
  }

  @Test
  void verify_fromTicketOne_continuesTheChainFromTheNewest() throws Exception {
    List<Attested<PlayTicket>> shown = chain.subList(0, 3);
    HandshakeVerifier.Verified v = verify(s.serverHello(shown), shown);
    assertThat(v.joinAccept()).isEqualTo(s.accept.statement());
    assertThat(v.sessionKey().key()).isEqualTo(s.sessionKey.publicKey());
    assertThat(v.tickets().newest().counter()).isEqualTo(3);
    v.tickets().accept(chain.get(3), MONO + 10);
  }

  @Test
  void verify_joiningLater_firstTicketStartsTheClientsChain() throws Exception {
    List<Attested<PlayTicket>> shown = chain.subList(2, 4);
    HandshakeVerifier.Verified v = verify(s.serverHello(shown), shown);
    assertThat(v.tickets().newest().counter()).isEqualTo(4);
  }

  @Test
  void verify_trailingByte_trailingBytes() {
    byte[] frame = s.serverHello(chain.subList(0, 1));
    assertRefused(Arrays.copyOf(frame, frame.length + 1), chain, Reason.TRAILING_BYTES);
  }

  @Test
  void verify_otherChallenge_handshakeMismatchBeforeAnyProof() {
    // Signed by a stranger as well: the echo is checked first.
    byte[] frame =
        Statements.serverHello(
            s.clientKey,
            Challenge.random(Statements.RANDOM),
            s.accept,
            chain.subList(0, 1),
            Ed25519KeyPair.generate(Statements.RANDOM));
    assertRefused(frame, chain.subList(0, 1), Reason.HANDSHAKE_MISMATCH);
  }

  @Test
  void verify_otherClientKey_handshakeMismatch() {
    byte[] frame =
        Statements.serverHello(
            Ed25519KeyPair.generate(Statements.RANDOM),
            s.challenge,
            s.accept,
            chain.subList(0, 1),
            s.sessionKey);
    assertRefused(frame, chain.subList(0, 1), Reason.HANDSHAKE_MISMATCH);
  }

  @Test
  void verify_joinAcceptFromUntrustedVs_unknownVsKeyBeforeTheSignature() {
    Attested<JoinAccept> foreign = new VsRoot().seal(s.accept.statement(), Statements.VS_START_MS);
    byte[] frame =
        Statements.serverHello(
            s.clientKey,
            s.challenge,
            foreign,
            chain.subList(0, 1),
            Ed25519KeyPair.generate(Statements.RANDOM));
    assertRefused(frame, chain.subList(0, 1), Reason.UNKNOWN_VS_KEY);
  }

  @Test
  void verify_joinAcceptForAnotherGs_handshakeMismatch() throws Exception {
    List<Attested<PlayTicket>> shown = chain.subList(0, 1);
    byte[] frame = s.serverHello(shown);
    assertThatThrownBy(
            () ->
                verifier.verify(
                    frame,
                    s.clientKey.publicKey(),
                    s.challenge,
                    new GsId("gs-elsewhere"),
                    wallAt(shown, 0),
                    MONO))
        .isInstanceOfSatisfying(
            Rejection.class, e -> assertThat(e.reason()).isEqualTo(Reason.HANDSHAKE_MISMATCH));
  }

  @Test
  void verify_signedWithoutTheSessionKey_badSignature() {
    List<Attested<PlayTicket>> shown = chain.subList(0, 1);
    byte[] frame =
        Statements.serverHello(
            s.clientKey, s.challenge, s.accept, shown, Ed25519KeyPair.generate(Statements.RANDOM));
    assertRefused(frame, shown, Reason.BAD_SIGNATURE);
  }

  @Test
  void verify_firstTicketNotPointingAtTheJoinAccept_chainBroken() {
    PlayTicket one = chain.get(0).statement();
    List<Attested<PlayTicket>> shown =
        List.of(s.ticket(s.session, 1, one.notBeforeMs(), one.notAfterMs(), Hash.ZERO));
    assertRefused(s.serverHello(shown), shown, Reason.CHAIN_BROKEN);
  }

  @Test
  void verify_ticketsWithAGap_chainGap() {
    List<Attested<PlayTicket>> shown = List.of(chain.get(0), chain.get(2));
    assertRefused(s.serverHello(shown), shown, Reason.CHAIN_GAP);
  }

  @Test
  void verify_ticketsOutOfOrder_replay() {
    List<Attested<PlayTicket>> shown = List.of(chain.get(2), chain.get(1));
    assertRefused(s.serverHello(shown), shown, Reason.REPLAY);
  }

  @Test
  void verify_firstTicketOfAnotherSession_wrongSession() {
    PlayTicket three = chain.get(2).statement();
    List<Attested<PlayTicket>> shown =
        List.of(
            s.ticket(
                SessionId.random(Statements.RANDOM),
                3,
                three.notBeforeMs(),
                three.notAfterMs(),
                three.prevTicketHash()));
    assertRefused(s.serverHello(shown), shown, Reason.WRONG_SESSION);
  }

  @Test
  void verify_newestTicketExactlyWOld_accepted() throws Exception {
    List<Attested<PlayTicket>> shown = chain.subList(0, 1);
    verifier.verify(
        s.serverHello(shown),
        s.clientKey.publicKey(),
        s.challenge,
        Statements.GS_ID,
        wallAt(shown, W),
        MONO);
  }

  @Test
  void verify_newestTicketOlderThanW_ticketExpired() {
    List<Attested<PlayTicket>> shown = chain.subList(0, 1);
    assertThatThrownBy(
            () ->
                verifier.verify(
                    s.serverHello(shown),
                    s.clientKey.publicKey(),
                    s.challenge,
                    Statements.GS_ID,
                    wallAt(shown, W + 1),
                    MONO))
        .isInstanceOfSatisfying(
            Rejection.class, e -> assertThat(e.reason()).isEqualTo(Reason.TICKET_EXPIRED));
  }

  @Test
  void verify_newestTicketMoreThanWAhead_ticketNotYetValid() {
    List<Attested<PlayTicket>> shown = chain.subList(0, 1);
    assertThatThrownBy(
            () ->
                verifier.verify(
                    s.serverHello(shown),
                    s.clientKey.publicKey(),
                    s.challenge,
                    Statements.GS_ID,
                    wallAt(shown, -W - 1),
                    MONO))
        .isInstanceOfSatisfying(
            Rejection.class, e -> assertThat(e.reason()).isEqualTo(Reason.TICKET_NOT_YET_VALID));
  }

  @Test
  void verify_oldTicketsAfterSeeingNewerOnes_ticketExpiredByStep7() throws Exception {
    // An earlier session saw ticket 4 at MONO; 10 s later a GS shows ticket 1 (issued 3 s before
    // ticket 4, 5 s lifetime). The wall clock is no help (it says ticket 1 is recent), the VS time
    // learned from ticket 4 is: ticket 1 ended long ago.
    memory.observe(chain.get(3).statement(), MONO);
    List<Attested<PlayTicket>> shown = chain.subList(0, 1);
    assertThatThrownBy(
            () ->
                verifier.verify(
                    s.serverHello(shown),
                    s.clientKey.publicKey(),
                    s.challenge,
                    Statements.GS_ID,
                    wallAt(shown, 0),
                    MONO + 10_000))
        .isInstanceOfSatisfying(
            Rejection.class, e -> assertThat(e.reason()).isEqualTo(Reason.TICKET_EXPIRED));
  }

  @Test
  void verify_success_remembersTheNewestTicketForLaterSessions() throws Exception {
    List<Attested<PlayTicket>> shown = chain.subList(0, 2);
    verify(s.serverHello(shown), shown);
    assertThat(memory.best()).isPresent();
    assertThat(memory.best().get().ticket()).isEqualTo(chain.get(1).statement());
    assertThat(memory.best().get().monotonicMs()).isEqualTo(MONO);
  }
}
