package dev.mmo.gs.play;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.gs.match.TranscriptLog;
import dev.mmo.gs.match.TranscriptReplay;
import dev.mmo.gs.vs.TranscriptSource;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.chain.ReceiptTip;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Ed25519Signature;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ClientHello;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.ServerHello;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.WorldSnapshot;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.protocol.world.Vec2;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class PlayServerTest {
  static final GsId GS_ID = new GsId("gs-test");
  // m = 5000 / 20 = 250 units a tick.
  static final GameRules RULES =
      new GameRules(20, 5_000, new Bounds(-100_000, -100_000, 100_000, 100_000));
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path transcripts;
  private final Clock clock = Clock.systemUTC();
  private final List<PlayServer> servers = new ArrayList<>();
  private Vertx vertx;
  private SimpleMeterRegistry meters;
  private TestBlessing blessing;
  private PlayServer server;
  private int port;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    blessing = new TestBlessing(vertx.getOrCreateContext(), clock, GS_ID, RULES);
    blessing.issueTicket(60_000);
    meters = new SimpleMeterRegistry();
    server = new PlayServer(vertx, settings(), blessing, meters, clock);
    port = await(server.start());
    servers.add(server);
  }

  @AfterEach
  void stop() throws Exception {
    for (PlayServer s : servers) {
      await(s.stop());
    }
  }

  private PlaySettings settings() {
    return PlaySettings.defaults(GS_ID)
        .withHost("127.0.0.1")
        .withPort(0)
        .withEventLoops(2)
        .withInputRate(50, 20)
        .withTranscriptDir(transcripts);
  }

  private PlayServer startAnother(PlaySettings s, TestBlessing b) throws Exception {
    // Its own transcript directory: one file per session, and the main server has this session.
    PlaySettings own = s.withTranscriptDir(transcripts.resolve("server-" + servers.size()));
    PlayServer other = new PlayServer(vertx, own, b, new SimpleMeterRegistry(), clock);
    servers.add(other);
    return other;
  }

  // ---------------------------------------------------------------------------------------------
  // Handshake

  @Test
  void handshake_valid_serverHelloSignedBySessionKeyOverClientKeyAndChallenge() throws Exception {
    TestClient client = TestClient.connect(vertx, port);
    Signed<ClientHello> hello = client.hello(GS_ID, clock.millis());
    client.send(Codec.encode(hello));
    Signed<ServerHello> answer = client.next(ServerHello.class);

    ServerHello body = answer.body();
    assertThat(body.clientKey()).isEqualTo(client.publicKey());
    assertThat(body.challenge()).isEqualTo(hello.body().challenge());
    assertThat(body.joinAccept()).isEqualTo(blessing.joinAccept().orElseThrow());
    assertThat(body.tickets()).isEqualTo(blessing.tickets());
    answer.verify(Ed25519Verifier.of(blessing.sessionKey.publicKey()));

    Signed<WorldSnapshot> snapshot =
        client.snapshot(s -> TestClient.find(s, client.publicKey()).isPresent());
    snapshot.verify(Ed25519Verifier.of(blessing.sessionKey.publicKey()));
    assertThat(snapshot.body().sessionId()).isEqualTo(blessing.session);
    assertThat(RULES.bounds().contains(TestClient.positionOf(snapshot.body(), client.publicKey())))
        .isTrue();
    assertThat(meters.get("mmo.gs.clients.connected").gauge().value()).isEqualTo(1.0);
    assertThat(meters.get("mmo.gs.tick.time").timer().count()).isPositive();
  }

  @Test
  void handshake_otherGsId_handshakeMismatch() throws Exception {
    TestClient client = TestClient.connect(vertx, port);
    client.send(Codec.encode(client.hello(new GsId("gs-other"), clock.millis())));
    assertThat(client.awaitClose()).isEqualTo(Reason.HANDSHAKE_MISMATCH.closeCode());
  }

  @Test
  void handshake_clientClockOffByMoreThanW_clockSkew() throws Exception {
    TestClient client = TestClient.connect(vertx, port);
    long off = PlaySettings.DEFAULT_CLIENT_CLOCK_SKEW.toMillis() + 1_000;
    client.send(Codec.encode(client.hello(GS_ID, clock.millis() - off)));
    assertThat(client.awaitClose()).isEqualTo(Reason.CLOCK_SKEW.closeCode());
  }

  @Test
  void handshake_smallOrderKey_badKey() throws Exception {
    TestClient client = TestClient.connect(vertx, port);
    // 32 zero bytes: y = 0, a point of order 4.
    ClientHello body =
        new ClientHello(
            Ed25519PublicKey.of(new byte[32]),
            client.hello(GS_ID, 0).body().challenge(),
            clock.millis(),
            GS_ID);
    Signed<ClientHello> hello = new Signed<>(body, Ed25519Signature.of(new byte[64]));
    client.send(Codec.encode(hello));
    assertThat(client.awaitClose()).isEqualTo(Reason.BAD_KEY.closeCode());
  }

  @Test
  void handshake_signatureBitFlipped_badSignature() throws Exception {
    TestClient client = TestClient.connect(vertx, port);
    byte[] frame = Codec.encode(client.hello(GS_ID, clock.millis()));
    frame[frame.length - 1] ^= 0x01;
    client.send(frame);
    assertThat(client.awaitClose()).isEqualTo(Reason.BAD_SIGNATURE.closeCode());
  }

  @Test
  void handshake_replayedHello_replay() throws Exception {
    TestClient first = TestClient.connect(vertx, port);
    byte[] hello = Codec.encode(first.hello(GS_ID, clock.millis()));
    first.send(hello);
    first.next(ServerHello.class);
    TestClient thief = TestClient.connect(vertx, port, first.key);
    thief.send(hello);
    assertThat(thief.awaitClose()).isEqualTo(Reason.REPLAY.closeCode());
    // The victim is not displaced by the replay.
    first.position();
  }

  @Test
  void handshake_gsFull_tooManyClients() throws Exception {
    PlayServer small = startAnother(settings().withMaxClients(1), blessing);
    int smallPort = await(small.start());
    TestClient one = TestClient.connect(vertx, smallPort);
    one.handshake(GS_ID, clock.millis());
    TestClient two = TestClient.connect(vertx, smallPort);
    two.send(Codec.encode(two.hello(GS_ID, clock.millis())));
    assertThat(two.awaitClose()).isEqualTo(Reason.TOO_MANY_CLIENTS.closeCode());
    one.position();
  }

  @Test
  void handshake_noTicketYet_noFreshTicket() throws Exception {
    TestBlessing unticketed = new TestBlessing(vertx.getOrCreateContext(), clock, GS_ID, RULES);
    PlayServer other = startAnother(settings(), unticketed);
    int otherPort = await(other.start());
    TestClient client = TestClient.connect(vertx, otherPort);
    client.send(Codec.encode(client.hello(GS_ID, clock.millis())));
    assertThat(client.awaitClose()).isEqualTo(Reason.NO_FRESH_TICKET.closeCode());
  }

  @Test
  void handshake_garbage_closedWithTheCodecReason() throws Exception {
    TestClient client = TestClient.connect(vertx, port);
    client.send(new byte[] {1, 0x10, 0, 0});
    assertThat(client.awaitClose()).isEqualTo(Reason.TRUNCATED.closeCode());
  }

  @Test
  void handshake_textFrame_malformed() throws Exception {
    TestClient client = TestClient.connect(vertx, port);
    client.sendText("hello");
    assertThat(client.awaitClose()).isEqualTo(Reason.MALFORMED.closeCode());
  }

  @Test
  void handshake_inputBeforeHello_unexpectedType() throws Exception {
    TestClient client = TestClient.connect(vertx, port);
    client.send(client.input(blessing.session, newestTicket(), new Vec2(1, 1)));
    assertThat(client.awaitClose()).isEqualTo(Reason.UNEXPECTED_TYPE.closeCode());
  }

  @Test
  void handshake_sameKeyAgain_replacesTheOldConnection() throws Exception {
    TestClient old = TestClient.connect(vertx, port);
    old.handshake(GS_ID, clock.millis());
    Vec2 before = old.position();
    TestClient again = TestClient.connect(vertx, port, old.key);
    again.handshake(GS_ID, clock.millis());
    assertThat(old.awaitClose()).isEqualTo(Reason.CONNECTION_REPLACED.closeCode());
    // Same player, same place: reconnecting does not respawn.
    assertThat(again.position()).isEqualTo(before);
  }

  // ---------------------------------------------------------------------------------------------
  // Inputs: each rejection closes only that client

  @Test
  void input_badSignature_closesThatClientOnly() throws Exception {
    rejectedWhileAnotherPlays(
        c -> {
          byte[] frame = c.input(blessing.session, newestTicket(), new Vec2(1, 0));
          frame[frame.length - 5] ^= 0x40;
          return List.of(frame);
        },
        Reason.BAD_SIGNATURE);
    assertThat(rejections(Reason.BAD_SIGNATURE)).isEqualTo(1.0);
  }

  @Test
  void input_replayedNonce_replay() throws Exception {
    rejectedWhileAnotherPlays(
        c -> {
          byte[] frame = c.input(blessing.session, newestTicket(), new Vec2(1, 0));
          return List.of(frame, frame);
        },
        Reason.REPLAY);
  }

  @Test
  void input_lowerNonce_replay() throws Exception {
    rejectedWhileAnotherPlays(
        c ->
            List.of(
                c.input(blessing.session, newestTicket(), 5, new Vec2(1, 0), 0),
                c.input(blessing.session, newestTicket(), 4, new Vec2(1, 0), 0)),
        Reason.REPLAY);
  }

  @Test
  void input_ticketNeitherCurrentNorPrevious_staleTicketRef() throws Exception {
    Attested<PlayTicket> first = newestTicket();
    blessing.issueTicket(60_000);
    blessing.issueTicket(60_000);
    awaitTicketForwarded();
    rejectedWhileAnotherPlays(
        c -> List.of(c.input(blessing.session, first, new Vec2(1, 0))), Reason.STALE_TICKET_REF);
  }

  @Test
  void input_previousTicket_accepted() throws Exception {
    Attested<PlayTicket> first = newestTicket();
    blessing.issueTicket(60_000);
    TestClient client = joined();
    Vec2 at = client.position();
    client.send(client.input(blessing.session, first, new Vec2(100, 0)));
    Vec2 moved = movedFrom(client, at);
    assertThat(moved).isEqualTo(RULES.bounds().clamp(at.plus(new Vec2(100, 0))));
  }

  @Test
  void input_otherSession_wrongSession() throws Exception {
    rejectedWhileAnotherPlays(
        c -> List.of(c.input(SessionId.random(RANDOM), newestTicket(), new Vec2(1, 0))),
        Reason.WRONG_SESSION);
  }

  @Test
  void input_garbage_malformedFrameReason() throws Exception {
    rejectedWhileAnotherPlays(c -> List.of(new byte[] {1, 0x12, 9}), Reason.TRUNCATED);
  }

  @Test
  void input_undefinedActionBits_valueOutOfRange() throws Exception {
    rejectedWhileAnotherPlays(
        c -> List.of(c.input(blessing.session, newestTicket(), 1, new Vec2(0, 0), 0x1)),
        Reason.VALUE_OUT_OF_RANGE);
  }

  @Test
  void input_overTheFrameLimit_frameTooLarge() throws Exception {
    rejectedWhileAnotherPlays(
        c -> List.of(new byte[PlaySettings.DEFAULT_MAX_FRAME_BYTES + 1]), Reason.FRAME_TOO_LARGE);
  }

  @Test
  void input_flood_rateLimited() throws Exception {
    rejectedWhileAnotherPlays(
        c -> {
          List<byte[]> flood = new ArrayList<>();
          for (int i = 0; i < 200; i++) {
            flood.add(c.input(blessing.session, newestTicket(), new Vec2(0, 0)));
          }
          return flood;
        },
        Reason.RATE_LIMITED);
  }

  @Test
  void input_speedHack_clampedNotObeyed() throws Exception {
    TestClient cheat = joined();
    Vec2 at = cheat.position();
    cheat.send(cheat.input(blessing.session, newestTicket(), new Vec2(0, 1_000_000)));
    Vec2 moved = movedFrom(cheat, at);
    assertThat(moved).isEqualTo(RULES.bounds().clamp(at.plus(new Vec2(0, 250))));
    assertThat(meters.counter("mmo.gs.inputs.verified").count()).isEqualTo(1.0);
  }

  // ---------------------------------------------------------------------------------------------
  // Forwarding and stop conditions

  @Test
  void tickets_forwarded_andReceiptsRideInSnapshots() throws Exception {
    TestClient client = joined();
    Attested<PlayTicket> issued = blessing.issueTicket(60_000);
    Attested<PlayTicket> forwarded = client.next(PlayTicket.class);
    assertThat(forwarded).isEqualTo(issued);
    Attested<ProtectedReceipt> receipt =
        blessing.receipt(1, server.transcript().current().receiptTip());
    Signed<WorldSnapshot> s = client.snapshot(w -> w.latestReceipt().isPresent());
    assertThat(s.body().latestReceipt()).contains(receipt);
  }

  @Test
  void revoke_forwardedThenEveryClientClosedWithItsReason() throws Exception {
    TestClient a = joined();
    TestClient b = joined();
    Attested<Revoke> revoke = blessing.revoke(Reason.OPERATOR_ACTION.code());
    for (TestClient c : List.of(a, b)) {
      Attested<Revoke> forwarded = c.next(Revoke.class);
      assertThat(forwarded).isEqualTo(revoke);
      assertThat(c.awaitClose()).isEqualTo(Reason.OPERATOR_ACTION.closeCode());
    }
    // The match is over: nobody gets in again.
    TestClient late = TestClient.connect(vertx, port);
    late.send(Codec.encode(late.hello(GS_ID, clock.millis())));
    assertThat(late.awaitClose()).isEqualTo(Reason.NO_FRESH_TICKET.closeCode());
  }

  @Test
  void tickets_runOut_matchStopsAndClientsLeaveWithNoFreshTicket() throws Exception {
    MutableClock wall = new MutableClock();
    TestBlessing shortLived = new TestBlessing(vertx.getOrCreateContext(), wall, GS_ID, RULES);
    shortLived.issueTicket(5_000);
    PlayServer other =
        new PlayServer(
            vertx,
            settings().withTranscriptDir(transcripts.resolve("starved")),
            shortLived,
            new SimpleMeterRegistry(),
            wall);
    servers.add(other);
    int otherPort = await(other.start());
    TestClient client = TestClient.connect(vertx, otherPort);
    client.handshake(GS_ID, wall.millis());
    client.position();

    // Past not_after plus the 2 s skew the GS allows itself: the next tick finds no fresh ticket.
    wall.advance(Duration.ofMillis(5_000 + 2_000));
    assertThat(client.awaitClose()).isEqualTo(Reason.NO_FRESH_TICKET.closeCode());
    long tickAtStop = other.transcript().current().tick();
    TestClient late = TestClient.connect(vertx, otherPort);
    late.send(Codec.encode(late.hello(GS_ID, wall.millis())));
    assertThat(late.awaitClose()).isEqualTo(Reason.NO_FRESH_TICKET.closeCode());
    // No tick runs while starved.
    assertThat(other.transcript().current().tick()).isEqualTo(tickAtStop);

    // A fresh ticket resumes the same session: clients get in again and ticks go on.
    shortLived.issueTicket(5_000);
    TestClient back = TestClient.connect(vertx, otherPort);
    awaitHandshake(back, wall);
    back.position();
    assertThat(other.transcript().current().tick()).isGreaterThan(tickAtStop);
  }

  /** Handshakes, retrying while the server has not yet seen the ticket that makes it fresh. */
  private TestClient awaitHandshake(TestClient first, Clock wall) throws Exception {
    TestClient client = first;
    long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
    while (true) {
      client.send(Codec.encode(client.hello(GS_ID, wall.millis())));
      try {
        client.next(ServerHello.class);
        return client;
      } catch (AssertionError closed) {
        assertThat(System.nanoTime()).as("handshake in time").isLessThan(deadline);
        client = TestClient.connect(vertx, client.port(), client.key);
      }
    }
  }

  @Test
  void sessionLost_clientsLeaveWithNoFreshTicket() throws Exception {
    TestClient client = joined();
    blessing.loseSession();
    assertThat(client.awaitClose()).isEqualTo(Reason.NO_FRESH_TICKET.closeCode());
  }

  // ---------------------------------------------------------------------------------------------
  // Transcript

  @Test
  void transcript_replayed_reproducesEverySnapshotAndTheReceiptTip() throws Exception {
    TestClient a = joined();
    TestClient b = joined();
    Map<Long, WorldSnapshot> seen = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      a.send(a.input(blessing.session, newestTicket(), new Vec2(400, -30 * i)));
      b.send(b.input(blessing.session, newestTicket(), new Vec2(-90, 170)));
      b.send(b.input(blessing.session, newestTicket(), new Vec2(-90, 170)));
    }
    // Once all 18 are verified, the tick after the current one has applied them.
    long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
    while (meters.counter("mmo.gs.inputs.verified").count() < 18) {
      assertThat(System.nanoTime()).as("all inputs verified in time").isLessThan(deadline);
      Signed<WorldSnapshot> early = a.snapshot(w -> true);
      seen.put(early.body().tick(), early.body());
    }
    long applied = server.transcript().current().tick() + 1;
    Signed<WorldSnapshot> s;
    do {
      s = a.snapshot(w -> true);
      seen.put(s.body().tick(), s.body());
    } while (s.body().tick() < applied);
    TranscriptSource.State live = server.transcript().current();
    await(server.stop());
    servers.remove(server);

    Path file;
    try (Stream<Path> files = Files.list(transcripts)) {
      file =
          files.filter(p -> p.toString().endsWith(TranscriptLog.SUFFIX)).findFirst().orElseThrow();
    }
    assertThat(TranscriptReplay.header(file).joinAccept())
        .isEqualTo(blessing.joinAccept().orElseThrow());
    List<TranscriptSource.State> replayed = new ArrayList<>();
    TranscriptSource.State last = TranscriptReplay.replay(file, replayed::add);

    assertThat(last.receiptTip()).isEqualTo(live.receiptTip());
    assertThat(last.receiptTip()).isNotEqualTo(ReceiptTip.GENESIS);
    assertThat(last.positions()).isEqualTo(live.positions());
    List<String> failures = new ArrayList<>();
    int compared = 0;
    for (TranscriptSource.State state : replayed) {
      WorldSnapshot snapshot = seen.get(state.tick());
      if (snapshot != null) {
        compared++;
        if (!snapshot.positions().equals(state.positions())) {
          failures.add(
              "tick " + state.tick() + ": " + snapshot.positions() + " != " + state.positions());
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(compared).isPositive();
    assertThat(replayed).extracting(TranscriptSource.State::tick).isSorted();
  }

  // ---------------------------------------------------------------------------------------------

  /** Runs a second, honest client beside one that sends {@code bad}; only the bad one is closed. */
  private void rejectedWhileAnotherPlays(FrameMaker bad, Reason expected) throws Exception {
    TestClient honest = joined();
    TestClient rogue = joined();
    for (byte[] frame : bad.frames(rogue)) {
      rogue.send(frame);
    }
    assertThat(rogue.awaitClose()).isEqualTo(expected.closeCode());
    Vec2 at = honest.position();
    honest.send(honest.input(blessing.session, newestTicket(), new Vec2(10, 10)));
    assertThat(movedFrom(honest, at)).isEqualTo(RULES.bounds().clamp(at.plus(new Vec2(10, 10))));
    assertThat(honest.isClosed()).isFalse();
  }

  private interface FrameMaker {
    List<byte[]> frames(TestClient client) throws Exception;
  }

  private TestClient joined() throws Exception {
    TestClient client = TestClient.connect(vertx, port);
    client.handshake(GS_ID, clock.millis());
    return client;
  }

  private static Vec2 movedFrom(TestClient client, Vec2 at) throws Exception {
    Signed<WorldSnapshot> s =
        client.snapshot(
            w -> TestClient.find(w, client.publicKey()).filter(p -> !p.equals(at)).isPresent());
    return TestClient.positionOf(s.body(), client.publicKey());
  }

  private Attested<PlayTicket> newestTicket() {
    List<Attested<PlayTicket>> t = blessing.tickets();
    return t.get(t.size() - 1);
  }

  /**
   * Waits until the server's listener has seen the newest ticket (it reaches it asynchronously).
   */
  private void awaitTicketForwarded() throws Exception {
    TestClient probe = joined();
    // A client joining after the ticket gets it in its ServerHello; once an input naming it is
    // applied, the match knows it.
    Vec2 at = probe.position();
    probe.send(probe.input(blessing.session, newestTicket(), new Vec2(1, 0)));
    movedFrom(probe, at);
    probe.close();
  }

  private double rejections(Reason reason) {
    return meters.counter("mmo.gs.play.rejections", "reason", reason.name()).count();
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
