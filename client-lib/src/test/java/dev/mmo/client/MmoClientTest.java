package dev.mmo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.client.Disconnect.Origin;
import dev.mmo.gs.play.PlayServer;
import dev.mmo.gs.play.PlaySettings;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.WorldSnapshot;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against the real game server, run in-process with statements sealed by a VS key. */
class MmoClientTest {
  static final GsId GS_ID = new GsId("gs-test");
  // m = 5000 / 20 = 250 units a tick.
  static final GameRules RULES =
      new GameRules(20, 5_000, new Bounds(-100_000, -100_000, 100_000, 100_000));
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long WAIT_SECONDS = 30;

  @TempDir Path transcripts;
  private final Clock clock = Clock.systemUTC();
  private final VsRoot vs = new VsRoot();
  private final List<PlayServer> servers = new ArrayList<>();
  private final List<Session> sessions = new ArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    sessions.forEach(Session::close);
    for (PlayServer s : servers) {
      s.stop().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------------------------------------
  // Honest play

  @Test
  void connect_honestGs_movesShowInSnapshotsAndReceiptsArrive() throws Exception {
    SealedBlessing blessing = blessing(clock);
    blessing.issueTicket(60_000);
    PlayServer server = server(blessing, settings());
    int port = start(server);
    Recorder events = new Recorder();
    Ed25519KeyPair key = Ed25519KeyPair.generate(RANDOM);
    Session session = connect(client(key, port, events, vs.anchors()).build());

    assertThat(session.sessionId()).isEqualTo(blessing.session);
    assertThat(session.rules()).isEqualTo(RULES);
    Vec2 start = awaitPosition(events, key, p -> true);
    // Inputs applied in one tick are summed, then clamped to 250 units: the client moves along x.
    for (int i = 0; i < 8; i++) {
      assertThat(session.move(new Vec2(250, 0), 0)).isTrue();
    }
    Vec2 moved = awaitPosition(events, key, p -> p.x() > start.x());
    assertThat(moved.y()).isEqualTo(start.y());

    // The GS's receipt for its current tip reaches the client inside the snapshots.
    var state = server.transcript().current();
    blessing.receipt(1, state.receiptTip());
    await(() -> !events.receipts.isEmpty(), "a receipt");
    ProtectedReceipt receipt = events.receipts.get(0);
    assertThat(receipt.receiptTip()).isEqualTo(state.receiptTip());
    assertThat(receipt.sessionId()).isEqualTo(blessing.session);
    assertThat(session.receipts()).containsExactly(receipt);
    assertThat(session.isOpen()).isTrue();
    assertThat(events.disconnect).isNotDone();
  }

  @Test
  void move_manyFromSeveralThreads_noncesStrictlyIncreaseAndGsAcceptsAll() throws Exception {
    SealedBlessing blessing = blessing(clock);
    blessing.issueTicket(60_000);
    int port = start(server(blessing, settings().withInputRate(10_000, 10_000)));
    Recorder events = new Recorder();
    Ed25519KeyPair key = Ed25519KeyPair.generate(RANDOM);
    Session session = connect(client(key, port, events, vs.anchors()).build());
    Vec2 start = awaitPosition(events, key, p -> true);

    AtomicInteger sent = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread =
          new Thread(
              () -> {
                int mine = 0;
                while (mine < 50) {
                  if (session.move(new Vec2(1, 0), 0)) {
                    mine++;
                  } else {
                    Thread.onSpinWait();
                  }
                }
                sent.addAndGet(mine);
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    }
    assertThat(sent.get()).isEqualTo(200);
    assertThat(session.lastNonce()).isEqualTo(200);
    // The GS closes with REPLAY on any nonce that does not increase: all 200 moves are applied.
    awaitPosition(events, key, p -> p.x() >= start.x() + 200 || p.x() == RULES.bounds().maxX());
    assertThat(session.isOpen()).as("%s", session.disconnect()).isTrue();
  }

  @Test
  void newTicket_extendsTheSessionPastTheFirstTicketsLifetime() throws Exception {
    SealedBlessing blessing = blessing(clock);
    blessing.issueTicket(60_000);
    int port = start(server(blessing, settings()));
    Recorder events = new Recorder();
    ManualMonotonicClock mono = new ManualMonotonicClock();
    Session session =
        connect(
            client(Ed25519KeyPair.generate(RANDOM), port, events, vs.anchors())
                .monotonicClock(mono)
                .build());
    blessing.issueTicket(60_000);
    await(() -> !events.tickets.isEmpty(), "the forwarded ticket");
    assertThat(events.tickets.get(0).counter()).isEqualTo(2);
    assertThat(session.newestTicket().counter()).isEqualTo(2);
    mono.advanceMs(59_000);
    assertThat(session.move(new Vec2(1, 1), 0)).isTrue();
    assertThat(session.isOpen()).isTrue();
  }

  // ---------------------------------------------------------------------------------------------
  // A GS the client must refuse at the handshake

  @Test
  void connect_joinAcceptProvenByKeyOutsideAnchors_unknownVsKey() throws Exception {
    SealedBlessing blessing = blessing(clock);
    blessing.issueTicket(60_000);
    int port = start(server(blessing, settings()));
    TrustAnchors others = new VsRoot().anchors();

    Disconnect refused =
        refused(client(Ed25519KeyPair.generate(RANDOM), port, new Recorder(), others).build());
    assertThat(refused.origin()).isEqualTo(Origin.CLIENT);
    assertThat(refused.reason()).contains(Reason.UNKNOWN_VS_KEY);
  }

  @Test
  void connect_gsWithoutTheSessionKey_badSignature() throws Exception {
    SealedBlessing blessing =
        new SealedBlessing(
            vs, vertx.getOrCreateContext(), clock, GS_ID, RULES, Ed25519KeyPair.generate(RANDOM));
    blessing.issueTicket(60_000);
    int port = start(server(blessing, settings()));

    Disconnect refused =
        refused(
            client(Ed25519KeyPair.generate(RANDOM), port, new Recorder(), vs.anchors()).build());
    assertThat(refused.origin()).isEqualTo(Origin.CLIENT);
    assertThat(refused.reason()).contains(Reason.BAD_SIGNATURE);
  }

  @Test
  void connect_otherGsId_handshakeMismatch() throws Exception {
    SealedBlessing blessing = blessing(clock);
    blessing.issueTicket(60_000);
    GsId other = new GsId("gs-other");
    // This GS is enrolled as gs-other but serves a JoinAccept made for gs-test.
    int port = start(server(blessing, settings(other)));
    MmoClient client =
        MmoClient.builder()
            .trustAnchors(vs.anchors())
            .clientKey(Ed25519KeyPair.generate(RANDOM))
            .gameServer(other, URI.create("ws://127.0.0.1:" + port + "/play"))
            .build();
    Disconnect refused = refused(client);
    assertThat(refused.origin()).isEqualTo(Origin.CLIENT);
    assertThat(refused.reason()).contains(Reason.HANDSHAKE_MISMATCH);
  }

  @Test
  void connect_ticketIssuedLongBeforeTheWallClock_ticketExpired() throws Exception {
    // The GS and its (genuine) tickets are ten minutes in the past: the GS still serves them, its
    // own clock says they are fresh. A client allowing one minute of skew refuses them.
    Clock past = Clock.offset(clock, Duration.ofMinutes(-10));
    SealedBlessing blessing = blessing(past);
    blessing.issueTicket(60_000);
    int port = start(server(blessing, settings(), past));

    Disconnect refused =
        refused(
            client(Ed25519KeyPair.generate(RANDOM), port, new Recorder(), vs.anchors())
                .maxClockSkew(Duration.ofMinutes(1))
                .build());
    assertThat(refused.origin()).isEqualTo(Origin.CLIENT);
    assertThat(refused.reason()).contains(Reason.TICKET_EXPIRED);
  }

  @Test
  void connect_oldTicketsAfterNewerOnes_ticketExpiredByWhatAnEarlierSessionTaught()
      throws Exception {
    // A second GS of the same VS replays tickets ten minutes old. The wall clock check alone (W =
    // 15 min) would pass them; the same MmoClient has seen a ticket of now and refuses them.
    SealedBlessing current = blessing(clock);
    current.issueTicket(60_000);
    int currentPort = start(server(current, settings()));
    Clock past = Clock.offset(clock, Duration.ofMinutes(-10));
    SealedBlessing stale = blessing(past);
    stale.issueTicket(60_000);
    int stalePort = start(server(stale, settings(), past));
    Ed25519KeyPair key = Ed25519KeyPair.generate(RANDOM);

    connect(client(key, stalePort, new Recorder(), vs.anchors()).build()).close();
    // ... a client that knows nothing yet accepts them.

    VsTimeMemory memory = new VsTimeMemory();
    connect(client(key, currentPort, new Recorder(), vs.anchors()).vsTimeMemory(memory).build())
        .close();
    MmoClient sameClientElsewhere =
        client(key, stalePort, new Recorder(), vs.anchors()).vsTimeMemory(memory).build();
    Disconnect refused = refused(sameClientElsewhere);
    assertThat(refused.origin()).isEqualTo(Origin.CLIENT);
    assertThat(refused.reason()).contains(Reason.TICKET_EXPIRED);
  }

  @Test
  void connect_gsWithoutFreshTicket_refusedByTheGs() throws Exception {
    SealedBlessing blessing = blessing(clock);
    int port = start(server(blessing, settings()));

    Disconnect refused =
        refused(
            client(Ed25519KeyPair.generate(RANDOM), port, new Recorder(), vs.anchors()).build());
    assertThat(refused.origin()).isEqualTo(Origin.SERVER);
    assertThat(refused.reason()).contains(Reason.NO_FRESH_TICKET);
  }

  // ---------------------------------------------------------------------------------------------
  // Leaving on its own

  @Test
  void starvation_noNewTicket_leavesWithNoFreshTicketAtTheTicketsEnd() throws Exception {
    SealedBlessing blessing = blessing(clock);
    long lifetime = 5_000;
    blessing.issueTicket(lifetime);
    // The GS's own check allows a minute of skew: it would go on serving, the client must not.
    int port = start(server(blessing, settings().withTicketSkew(Duration.ofMinutes(1))));
    Recorder events = new Recorder();
    ManualMonotonicClock mono = new ManualMonotonicClock();
    Session session =
        connect(
            client(Ed25519KeyPair.generate(RANDOM), port, events, vs.anchors())
                .monotonicClock(mono)
                .build());

    // The monotonic clock stands still: received at m, the ticket is fresh until m + L - 1.
    mono.advanceMs(lifetime - 1);
    assertThat(session.move(new Vec2(1, 0), 0)).isTrue();
    assertThat(session.isOpen()).isTrue();
    mono.advanceMs(1);
    Disconnect d = events.disconnect.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(d.origin()).isEqualTo(Origin.CLIENT);
    assertThat(d.reason()).contains(Reason.NO_FRESH_TICKET);
    assertThat(session.move(new Vec2(1, 0), 0)).isFalse();
    assertThat(session.disconnect()).contains(d);
  }

  @Test
  void starvation_realClock_leavesWithNoFreshTicketOnceTheTicketEnds() throws Exception {
    SealedBlessing blessing = blessing(clock);
    PlayTicket ticket = blessing.issueTicket(1_500).statement();
    int port = start(server(blessing, settings().withTicketSkew(Duration.ofMinutes(1))));
    Recorder events = new Recorder();
    Session session =
        connect(client(Ed25519KeyPair.generate(RANDOM), port, events, vs.anchors()).build());

    Disconnect d = events.disconnect.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(d.origin()).isEqualTo(Origin.CLIENT);
    assertThat(d.reason()).contains(Reason.NO_FRESH_TICKET);
    // Not before the ticket ended (it arrived after it was issued; 20 ms for clock rounding).
    assertThat(events.disconnectedAtWallMs.get()).isGreaterThanOrEqualTo(ticket.notAfterMs() - 20);
    assertThat(session.isOpen()).isFalse();
  }

  @Test
  void revoke_genuine_leavesWithTheRevokesReason() throws Exception {
    SealedBlessing blessing = blessing(clock);
    blessing.issueTicket(60_000);
    int port = start(server(blessing, settings()));
    Recorder events = new Recorder();
    connect(client(Ed25519KeyPair.generate(RANDOM), port, events, vs.anchors()).build());

    blessing.deliverRevoke(blessing.revoke(Reason.OPERATOR_ACTION.code()));
    Disconnect d = events.disconnect.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(d.origin()).isEqualTo(Origin.CLIENT);
    assertThat(d.reason()).contains(Reason.OPERATOR_ACTION);
    assertThat(events.revokes).hasSize(1);
    assertThat(events.revokes.get(0).sessionId()).isEqualTo(blessing.session);
  }

  @Test
  void revoke_forgedProof_refusedAsBadProofNotObeyedAsRevoke() throws Exception {
    SealedBlessing blessing = blessing(clock);
    blessing.issueTicket(60_000);
    int port = start(server(blessing, settings()));
    Recorder events = new Recorder();
    connect(client(Ed25519KeyPair.generate(RANDOM), port, events, vs.anchors()).build());

    // A genuine revoke's proof under an edited reason: the statement is not in the signed batch.
    Attested<Revoke> genuine = blessing.revoke(Reason.OPERATOR_ACTION.code());
    Revoke edited =
        new Revoke(
            blessing.session, Reason.SPEED_VIOLATION.code(), genuine.statement().revokedAtMs());
    blessing.deliverRevoke(new Attested<>(edited, genuine.proof()));

    Disconnect d = events.disconnect.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(d.origin()).isEqualTo(Origin.CLIENT);
    assertThat(d.reason()).contains(Reason.BAD_PROOF);
    assertThat(events.revokes).isEmpty();
  }

  @Test
  void close_byTheApplication_reportedOnce() throws Exception {
    SealedBlessing blessing = blessing(clock);
    blessing.issueTicket(60_000);
    int port = start(server(blessing, settings()));
    Recorder events = new Recorder();
    Session session =
        connect(client(Ed25519KeyPair.generate(RANDOM), port, events, vs.anchors()).build());
    session.close();
    session.close();
    Disconnect d = events.disconnect.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(d.origin()).isEqualTo(Origin.APPLICATION);
    assertThat(session.move(Vec2.ZERO, 0)).isFalse();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private SealedBlessing blessing(Clock c) {
    return new SealedBlessing(vs, vertx.getOrCreateContext(), c, GS_ID, RULES);
  }

  private PlaySettings settings() {
    return settings(GS_ID);
  }

  private PlaySettings settings(GsId gsId) {
    return PlaySettings.defaults(gsId)
        .withHost("127.0.0.1")
        .withPort(0)
        .withEventLoops(1)
        .withTranscriptDir(transcripts.resolve("server-" + servers.size()));
  }

  private PlayServer server(SealedBlessing blessing, PlaySettings s) {
    return server(blessing, s, clock);
  }

  private PlayServer server(SealedBlessing blessing, PlaySettings s, Clock c) {
    PlayServer server = new PlayServer(vertx, s, blessing, new SimpleMeterRegistry(), c);
    servers.add(server);
    return server;
  }

  private static int start(PlayServer server) throws Exception {
    return server
        .start()
        .toCompletionStage()
        .toCompletableFuture()
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static MmoClient.Builder client(
      Ed25519KeyPair key, int port, MmoListener listener, TrustAnchors anchors) {
    return MmoClient.builder()
        .trustAnchors(anchors)
        .clientKey(key)
        .gameServer(GS_ID, URI.create("ws://127.0.0.1:" + port + "/play"))
        .listener(listener);
  }

  private Session connect(MmoClient client) throws Exception {
    Session session = client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);
    sessions.add(session);
    return session;
  }

  private static Disconnect refused(MmoClient client) throws Exception {
    CompletableFuture<Session> attempt = client.connect();
    assertThatThrownBy(() -> attempt.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RefusedException.class);
    try {
      attempt.get();
      throw new AssertionError("connected");
    } catch (ExecutionException e) {
      return ((RefusedException) e.getCause()).disconnect();
    }
  }

  private static Optional<Vec2> positionOf(Recorder events, Ed25519KeyPair key) {
    WorldSnapshot s = events.lastSnapshot.get();
    if (s == null) {
      return Optional.empty();
    }
    return s.positions().stream()
        .filter(p -> p.player().equals(key.publicKey()))
        .map(PlayerPosition::position)
        .findFirst();
  }

  private static Vec2 awaitPosition(
      Recorder events, Ed25519KeyPair key, java.util.function.Predicate<Vec2> condition)
      throws InterruptedException {
    await(() -> positionOf(events, key).filter(condition).isPresent(), "a position");
    return positionOf(events, key).orElseThrow();
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + WAIT_SECONDS + " s for " + what);
      }
      Thread.sleep(20);
    }
  }
}
