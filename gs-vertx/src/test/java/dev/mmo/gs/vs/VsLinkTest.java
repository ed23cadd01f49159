package dev.mmo.gs.vs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.gs.identity.GsIdentity;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Heartbeat;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.ResumeRequest;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class VsLinkTest {
  private static final Hash SW_HASH = Sha256.hash("gs build".getBytes(StandardCharsets.UTF_8));
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Events events = new Events();
  private final AtomicReference<TranscriptSource.State> transcript =
      new AtomicReference<>(new TranscriptSource.State(0, Hash.ZERO, List.of()));
  private StandInVs vs;
  private VsLink link;

  private Ed25519KeyPair longTerm;
  private int port;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    longTerm = Ed25519KeyPair.generate(new SecureRandom());
    vs = new StandInVs(vertx, longTerm.publicKey());
    port = get(vs.start());
    link = newLink(vertx, Duration.ofSeconds(5));
    get(link.start(transcript::get));
  }

  private VsLink newLink(Vertx vertx, Duration bindTimeout) {
    return newLink(vertx, bindTimeout, Duration.ofMillis(200));
  }

  private VsLink newLink(Vertx vertx, Duration bindTimeout, Duration busyRetry) {
    VsLink l =
        new VsLink(
            vertx,
            new VsLinkSettings(
                URI.create("ws://127.0.0.1:" + port + "/gs"),
                Duration.ofSeconds(2),
                Duration.ofMillis(20),
                Duration.ofMillis(200),
                busyRetry,
                bindTimeout,
                8),
            new GsIdentity(new GsId("gs-test.1"), longTerm, SW_HASH),
            vs.trustAnchors(),
            registry,
            Clock.systemUTC(),
            new SecureRandom());
    l.addListener(events);
    return l;
  }

  @AfterEach
  void tearDown() throws Exception {
    get(link.stop());
    get(vs.stop());
  }

  @Test
  void join_accepted_blessingHoldsJoinAcceptTicketsAndSessionKey() throws Exception {
    await("joined", () -> link.joinAccept().isPresent());

    assertThat(vs.joins).hasSize(1);
    assertThat(link.joinAccept()).contains(vs.accept());
    assertThat(link.sessionKey().orElseThrow().publicKey())
        .isEqualTo(vs.accept().statement().sessionKey())
        .isEqualTo(vs.joins.get(0).body().sessionKey());
    assertThat(vs.joins.get(0).body().swHash()).isEqualTo(SW_HASH);
    assertThat(vs.joins.get(0).body().gsId()).isEqualTo(new GsId("gs-test.1"));
    assertThat(link.blessed()).isFalse();

    List<Attested<PlayTicket>> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sent.add(vs.issueTicket());
    }
    await("four tickets", () -> events.tickets.size() == 4);

    assertThat(events.tickets).isEqualTo(sent);
    assertThat(link.tickets()).isEqualTo(sent.subList(1, 4)).hasSize(Blessing.KEPT_TICKETS);
    assertThat(link.blessed()).isTrue();
    assertThat(counter("mmo.gs.link.tickets.received")).isEqualTo(4.0);
    assertThat(vs.violations).isEmpty();
  }

  @Test
  void joinAccept_pinningAnotherSwHash_refusedAndJoinedAgain(Vertx vertx) throws Exception {
    // A fresh link, started only once the stand-in answers wrongly: the one of setUp may already
    // have joined.
    get(link.stop());
    vs.acceptWithSwHash(Hash.ZERO);
    int before = vs.joins.size();
    link = newLink(vertx, Duration.ofSeconds(5));
    get(link.start(transcript::get));

    await("a second join after the refused accept", () -> vs.joins.size() >= before + 2);

    assertThat(link.joinAccept()).isEmpty();
    assertThat(link.sessionKey()).isEmpty();
    assertThat(failures(Reason.HANDSHAKE_MISMATCH)).isGreaterThanOrEqualTo(1.0);
    assertThat(vs.closesFromGs).contains((short) Reason.HANDSHAKE_MISMATCH.closeCode());
    // Each join has its own session key and nonce.
    assertThat(vs.joins.get(before).body().sessionKey())
        .isNotEqualTo(vs.joins.get(before + 1).body().sessionKey());
    assertThat(vs.joins.get(before).body().nonce())
        .isNotEqualTo(vs.joins.get(before + 1).body().nonce());
  }

  @Test
  void join_unanswered_givenUpAfterTheBindTimeoutAndRetried(Vertx vertx) throws Exception {
    get(link.stop());
    vs.ignoreJoins(true);
    int joinsBefore = vs.joins.size();
    link = newLink(vertx, Duration.ofMillis(300));
    get(link.start(transcript::get));

    await("two unanswered joins", () -> vs.joins.size() >= joinsBefore + 2);
    assertThat(link.joinAccept()).isEmpty();
    assertThat(counter("mmo.gs.link.reconnects")).isGreaterThanOrEqualTo(1.0);

    vs.ignoreJoins(false);
    await("joined once the VS answers", () -> link.joinAccept().isPresent());
    assertThat(vs.violations).isEmpty();
  }

  @Test
  void join_refusedAtCapacity_joinsAgainOnlyAfterTheBusyRetry(Vertx vertx) throws Exception {
    get(link.stop());
    vs.refuseJoinsWith(Reason.SERVICE_UNAVAILABLE);
    int before = vs.joins.size();
    // Reconnects wait 20 to 200 ms; after SERVICE_UNAVAILABLE at least half of 1.5 s.
    link = newLink(vertx, Duration.ofSeconds(5), Duration.ofMillis(1_500));
    get(link.start(transcript::get));

    await("three refused joins", () -> vs.joins.size() >= before + 3);
    for (int i = before + 1; i < before + 3; i++) {
      long gapMs = (vs.joinArrivals.get(i) - vs.joinArrivals.get(i - 1)) / 1_000_000;
      assertThat(gapMs).as("delay before join %d", i - before + 1).isGreaterThanOrEqualTo(750);
    }
    assertThat(counter("mmo.gs.link.busy.refusals")).isGreaterThanOrEqualTo(2.0);
    assertThat(link.joinAccept()).isEmpty();

    vs.refuseJoinsWith(null);
    await("joined once the VS has room", () -> link.joinAccept().isPresent());
    assertThat(vs.violations).isEmpty();
  }

  @Test
  void ticket_signedByUntrustedKey_refusedNeverReachesListenerAndLinkResumes(Vertx vertx)
      throws Exception {
    await("joined", () -> link.joinAccept().isPresent());
    StandInVs stranger =
        new StandInVs(vertx, Ed25519KeyPair.generate(new SecureRandom()).publicKey());

    vs.send(stranger.attest(vs.nextTicket()));

    await("resumed", () -> vs.resumes.size() == 1);
    assertThat(failures(Reason.UNKNOWN_VS_KEY)).isEqualTo(1.0);
    assertThat(vs.closesFromGs).contains((short) Reason.UNKNOWN_VS_KEY.closeCode());
    assertThat(events.tickets).isEmpty();
    assertThat(link.tickets()).isEmpty();
    assertThat(vs.resumes.get(0).body().sessionId()).isEqualTo(vs.sessionId());

    // The refused ticket did not advance the chain: the genuine ticket 1 is accepted.
    Attested<PlayTicket> genuine = vs.issueTicket();
    await("the genuine ticket", () -> events.tickets.size() == 1);
    assertThat(events.tickets).containsExactly(genuine);
  }

  @Test
  void ticket_proofForAnotherStatement_refusedWithBadProof() throws Exception {
    await("joined", () -> link.joinAccept().isPresent());
    PlayTicket honest = vs.nextTicket();
    Attested<PlayTicket> proven = vs.attest(honest);
    PlayTicket edited =
        new PlayTicket(
            honest.sessionId(),
            honest.clientBinding(),
            honest.counter(),
            honest.notBeforeMs(),
            honest.notAfterMs() + 60_000,
            honest.prevTicketHash());

    vs.send(new Attested<>(edited, proven.proof()));

    await("resumed", () -> vs.resumes.size() == 1);
    assertThat(failures(Reason.BAD_PROOF)).isEqualTo(1.0);
    assertThat(events.tickets).isEmpty();
  }

  @Test
  void ticket_forAnotherSession_refusedWithWrongSession() throws Exception {
    await("joined", () -> link.joinAccept().isPresent());
    PlayTicket next = vs.nextTicket();
    PlayTicket other =
        new PlayTicket(
            SessionId.random(new SecureRandom()),
            next.clientBinding(),
            next.counter(),
            next.notBeforeMs(),
            next.notAfterMs(),
            next.prevTicketHash());

    vs.send(vs.attest(other));

    await("resumed", () -> vs.resumes.size() == 1);
    assertThat(failures(Reason.WRONG_SESSION)).isEqualTo(1.0);
    assertThat(events.tickets).isEmpty();
  }

  @Test
  void ticket_notLinkedToItsPredecessor_refusedWithChainBroken() throws Exception {
    await("joined", () -> link.joinAccept().isPresent());
    Attested<PlayTicket> first = vs.issueTicket();
    await("ticket 1", () -> events.tickets.size() == 1);
    PlayTicket next = vs.nextTicket();
    PlayTicket unlinked =
        new PlayTicket(
            next.sessionId(),
            next.clientBinding(),
            next.counter(),
            next.notBeforeMs(),
            next.notAfterMs(),
            Sha256.hash("another predecessor".getBytes(StandardCharsets.UTF_8)));

    vs.send(vs.attest(unlinked));

    await("resumed", () -> vs.resumes.size() == 1);
    assertThat(failures(Reason.CHAIN_BROKEN)).isEqualTo(1.0);
    assertThat(events.tickets).containsExactly(first);
    assertThat(link.tickets()).containsExactly(first);
  }

  @Test
  void frame_malformedOrNotAVsStatement_refusedAndLinkResumes() throws Exception {
    await("joined", () -> link.joinAccept().isPresent());
    Attested<PlayTicket> first = vs.issueTicket();
    await("ticket 1", () -> events.tickets.size() == 1);
    byte[] ticket = dev.mmo.protocol.wire.Codec.encode(vs.attest(vs.nextTicket()));

    vs.sendBytes(java.util.Arrays.copyOf(ticket, ticket.length - 1));
    await("resumed after the truncated frame", () -> vs.resumes.size() == 1);
    // The resumed connection is bound once the re-sent ticket 1 arrived; heartbeats follow.
    int beats = vs.heartbeats.size();
    await("heartbeats after the resume", () -> vs.heartbeats.size() > beats);

    // A signed GS message echoed back is a defined type the link never accepts from the VS.
    vs.send(vs.heartbeats.get(0));
    await("resumed after the unexpected type", () -> vs.resumes.size() == 2);

    assertThat(failures(Reason.TRUNCATED)).isEqualTo(1.0);
    assertThat(failures(Reason.UNEXPECTED_TYPE)).isEqualTo(1.0);
    assertThat(events.tickets).containsExactly(first);
    assertThat(vs.violations).isEmpty();
  }

  @Test
  void heartbeats_carryStrictlyIncreasingCountersAndTheCurrentReceiptTip() throws Exception {
    Hash tipA = Sha256.hash("tip a".getBytes(StandardCharsets.UTF_8));
    Hash tipB = Sha256.hash("tip b".getBytes(StandardCharsets.UTF_8));
    transcript.set(new TranscriptSource.State(0, tipA, List.of()));
    await("joined", () -> link.joinAccept().isPresent());
    await("three heartbeats", () -> vs.heartbeats.size() >= 3);

    transcript.set(new TranscriptSource.State(0, tipB, List.of()));
    int before = vs.heartbeats.size();
    await("a heartbeat after the change", () -> vs.heartbeats.size() >= before + 2);

    List<Signed<Heartbeat>> beats = List.copyOf(vs.heartbeats);
    long last = 0;
    for (Signed<Heartbeat> beat : beats) {
      assertThat(beat.body().gsCounter()).isGreaterThan(last);
      last = beat.body().gsCounter();
      assertThat(beat.body().sessionId()).isEqualTo(vs.sessionId());
      assertThat(beat.body().swHash()).isEqualTo(SW_HASH);
      assertThat(beat.body().receiptTip()).isIn(tipA, tipB);
    }
    assertThat(beats.get(0).body().receiptTip()).isEqualTo(tipA);
    assertThat(beats.get(beats.size() - 1).body().receiptTip()).isEqualTo(tipB);
    assertThat(vs.violations).isEmpty();
    assertThat(counter("mmo.gs.link.heartbeats.sent")).isGreaterThanOrEqualTo(beats.size());
    // No tick was completed: there is nothing to notarize.
    assertThat(vs.digests).isEmpty();
  }

  @Test
  void digest_sentOncePerNewTickWithSortedPositions_receiptReachesListener() throws Exception {
    vs.autoReceipts(true);
    Ed25519PublicKey low = Ed25519PublicKey.of(new byte[32]);
    byte[] highBytes = new byte[32];
    highBytes[0] = 1;
    Ed25519PublicKey high = Ed25519PublicKey.of(highBytes);
    Hash tip = Sha256.hash("after tick 5".getBytes(StandardCharsets.UTF_8));
    transcript.set(
        new TranscriptSource.State(
            5,
            tip,
            List.of(
                new PlayerPosition(high, new Vec2(10, 20)),
                new PlayerPosition(low, new Vec2(-3, 4)))));

    await("joined", () -> link.joinAccept().isPresent());
    await("a receipt", () -> events.receipts.size() == 1);
    int beats = vs.heartbeats.size();
    await("two more heartbeats", () -> vs.heartbeats.size() >= beats + 2);

    assertThat(vs.digests).hasSize(1);
    TranscriptDigest digest = vs.digests.get(0).body();
    assertThat(digest.tick()).isEqualTo(5);
    assertThat(digest.receiptTip()).isEqualTo(tip);
    assertThat(digest.positions()).extracting(PlayerPosition::player).containsExactly(low, high);
    ProtectedReceipt receipt = events.receipts.get(0).statement();
    assertThat(receipt.gsCounter()).isEqualTo(digest.gsCounter());
    assertThat(counter("mmo.gs.link.digests.sent")).isEqualTo(1.0);
    assertThat(counter("mmo.gs.link.receipts.received")).isEqualTo(1.0);

    transcript.set(new TranscriptSource.State(6, tip, List.of()));
    await("a second receipt", () -> events.receipts.size() == 2);
    assertThat(vs.digests.get(1).body().tick()).isEqualTo(6);
    assertThat(vs.violations).isEmpty();
  }

  @Test
  void receipt_matchingNoDigestSent_refusedAndLinkReconnects() throws Exception {
    transcript.set(new TranscriptSource.State(1, Hash.ZERO, List.of()));
    await("joined", () -> link.joinAccept().isPresent());
    await("a digest", () -> vs.digests.size() == 1);
    TranscriptDigest sent = vs.digests.get(0).body();
    TranscriptDigest claimedOtherwise =
        new TranscriptDigest(
            sent.sessionId(),
            sent.gsCounter(),
            sent.tick(),
            sent.gsTimeMs(),
            Sha256.hash("a tip the GS never claimed".getBytes(StandardCharsets.UTF_8)),
            sent.positions());

    vs.send(vs.receiptFor(claimedOtherwise, vs.digestFrames.get(0)));

    await("resumed", () -> vs.resumes.size() == 1);
    assertThat(failures(Reason.HANDSHAKE_MISMATCH)).isEqualTo(1.0);
    assertThat(events.receipts).isEmpty();
  }

  @Test
  void revoke_verified_reachesOnRevokeAndEndsTheLink() throws Exception {
    await("joined", () -> link.joinAccept().isPresent());
    vs.issueTicket();
    await("ticket", () -> link.blessed());
    Attested<Revoke> revoke = vs.revoke(Reason.SPEED_VIOLATION);

    vs.send(revoke);

    await("revoked", () -> events.revokes.size() == 1);
    assertThat(events.revokes).containsExactly(revoke);
    assertThat(link.blessed()).isFalse();
    await("the GS closed the connection", () -> vs.closesFromGs.contains((short) 1000));
    assertThat(counter("mmo.gs.link.reconnects")).isEqualTo(0.0);
    assertThat(events.lost).isEmpty();
  }

  @Test
  void revoke_forAnotherSession_refusedAndNeverReachesOnRevoke() throws Exception {
    await("joined", () -> link.joinAccept().isPresent());

    vs.send(vs.attest(Revoke.of(SessionId.random(new SecureRandom()), Reason.OPERATOR_ACTION, 1)));

    await("resumed", () -> vs.resumes.size() == 1);
    assertThat(failures(Reason.WRONG_SESSION)).isEqualTo(1.0);
    assertThat(events.revokes).isEmpty();
  }

  @Test
  void droppedConnection_resumesTheSameSessionAndContinuesTheChain() throws Exception {
    await("joined", () -> link.joinAccept().isPresent());
    Attested<PlayTicket> first = vs.issueTicket();
    await("ticket 1", () -> events.tickets.size() == 1);
    await("a heartbeat", () -> !vs.heartbeats.isEmpty());
    vs.issueTicketUnsent();
    long counterBefore = vs.heartbeats.get(vs.heartbeats.size() - 1).body().gsCounter();

    vs.dropConnection(Reason.MISSED_HEARTBEATS);

    await("resumed", () -> vs.resumes.size() == 1);
    ResumeRequest resume = vs.resumes.get(0).body();
    assertThat(resume.sessionId()).isEqualTo(vs.sessionId());
    assertThat(resume.gsCounter()).isGreaterThan(counterBefore);
    await("ticket 2 from the re-sent ones", () -> events.tickets.size() == 2);
    assertThat(events.tickets.get(0)).isEqualTo(first);
    assertThat(events.tickets.get(1).statement().counter()).isEqualTo(2);
    assertThat(counter("mmo.gs.link.tickets.resent")).isEqualTo(1.0);
    assertThat(vs.joins).hasSize(1);
    assertThat(link.joinAccept()).contains(vs.accept());

    int beats = vs.heartbeats.size();
    await("heartbeats on the new connection", () -> vs.heartbeats.size() >= beats + 2);
    vs.issueTicket();
    await("ticket 3", () -> events.tickets.size() == 3);
    assertThat(vs.violations).isEmpty();
    assertThat(events.lost).isEmpty();
  }

  @Test
  void resume_refusedForGood_sessionLost() throws Exception {
    await("joined", () -> link.joinAccept().isPresent());
    vs.issueTicket();
    await("ticket 1", () -> events.tickets.size() == 1);
    vs.refuseResumesWith(Reason.SESSION_REVOKED);

    vs.dropConnection(Reason.MISSED_HEARTBEATS);

    await("session lost", () -> events.lost.size() == 1);
    assertThat(events.lost.get(0)).contains("SESSION_REVOKED");
    assertThat(link.blessed()).isFalse();
    assertThat(vs.resumes).hasSize(1);
    assertThat(events.revokes).isEmpty();
  }

  @Test
  void resume_chainRanTooFarAhead_sessionLost() throws Exception {
    await("joined", () -> link.joinAccept().isPresent());
    vs.issueTicket();
    await("ticket 1", () -> events.tickets.size() == 1);
    // The stand-in keeps the newest 4 tickets, so re-sending starts at ticket 3: a gap after 1.
    for (int i = 0; i < 5; i++) {
      vs.issueTicketUnsent();
    }

    vs.dropConnection(Reason.MISSED_HEARTBEATS);

    await("session lost", () -> events.lost.size() == 1);
    assertThat(events.lost.get(0)).contains("CHAIN_GAP");
    assertThat(events.tickets).hasSize(1);
  }

  private double counter(String name) {
    Counter c = registry.find(name).counter();
    return c == null ? 0 : c.count();
  }

  private double failures(Reason reason) {
    Counter c =
        registry.find("mmo.gs.link.verification.failures").tag("reason", reason.name()).counter();
    return c == null ? 0 : c.count();
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Polls until {@code condition} holds; fails after a generous time. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Records what reached the listener. */
  private static final class Events implements BlessingListener {
    final List<Attested<PlayTicket>> tickets = new CopyOnWriteArrayList<>();
    final List<Attested<ProtectedReceipt>> receipts = new CopyOnWriteArrayList<>();
    final List<Attested<Revoke>> revokes = new CopyOnWriteArrayList<>();
    final List<String> lost = new CopyOnWriteArrayList<>();

    @Override
    public void onTicket(Attested<PlayTicket> ticket) {
      tickets.add(ticket);
    }

    @Override
    public void onReceipt(Attested<ProtectedReceipt> receipt) {
      receipts.add(receipt);
    }

    @Override
    public void onRevoke(Attested<Revoke> revoke) {
      revokes.add(revoke);
    }

    @Override
    public void onSessionLost(String why) {
      lost.add(why);
    }
  }
}
