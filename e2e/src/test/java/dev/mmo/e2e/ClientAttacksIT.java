package dev.mmo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.client.Disconnect;
import dev.mmo.client.Disconnect.Origin;
import dev.mmo.client.VsTimeMemory;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.SoftwareEcdsaSigner;
import dev.mmo.protocol.merkle.Merkle;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.protocol.wire.ClientHello;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.MessageType;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ServerHello;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.VsProof;
import dev.mmo.protocol.world.Vec2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the match itself, between clients (client-lib) and game server processes, each
 * detected with the right reason: a host that tampers with the tickets it forwards, serves an
 * expired ticket, hides a revoke, replays a client's input or moves it to another session, or poses
 * as the blessed game server without its session key. A bystander on another game server keeps
 * playing through every one of them.
 */
class ClientAttacksIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final SecureRandom RANDOM = new SecureRandom();

  private static Vs vs;
  private static Admin admin;
  private static VsProofVerifier proofs;
  private static Gs target;
  private static Gs bystanderGs;
  private static Player bystander;
  private int bystanderTickets;

  @BeforeAll
  static void startVsAndGameServers() throws Exception {
    vs = Vs.start(Map.of());
    admin = Admin.of(vs);
    proofs = admin.proofVerifier();
    target = Gs.enrolled(freshId("target"), vs, admin).start(vs);
    bystanderGs = Gs.enrolled(freshId("bystander"), vs, admin).start(vs);
    bystander = Player.joined(bystanderGs);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {bystander, bystanderGs, target, vs}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort: the next one still stops
      }
    }
  }

  @BeforeEach
  void noteBystander() {
    bystanderTickets = bystander.tickets.get();
  }

  /** After every attack: the bystander is still in its session and still gets fresh tickets. */
  @AfterEach
  void bystanderUnaffected() {
    Stack.await(
        WAIT,
        "two more tickets at the bystander",
        () -> bystander.tickets.get() >= bystanderTickets + 2,
        () -> "bystander: " + bystander.session().disconnect());
    assertThat(bystander.session().isOpen()).isTrue();
    assertThat(bystanderGs.ready()).isTrue();
  }

  // ---------------------------------------------------------------------------------------------
  // Tickets the host forwards

  @Test
  void forgedTicket_signedByAnyoneButTheVs_clientLeavesWithBadSignature() throws Exception {
    SoftwareEcdsaSigner forger = SoftwareEcdsaSigner.generate(RANDOM);
    Disconnect d =
        throughTamperedTickets(
            genuine -> {
              // The next link, valid for a day, in a batch of its own whose head names the VS's
              // key but is signed with the forger's.
              PlayTicket t = genuine.statement();
              PlayTicket forged =
                  new PlayTicket(
                      t.sessionId(),
                      t.clientBinding(),
                      t.counter(),
                      t.notBeforeMs(),
                      t.notBeforeMs() + 86_400_000L,
                      t.prevTicketHash());
              BatchHead real = genuine.proof().batchHead();
              BatchHead head =
                  new BatchHead(
                      real.keyId(),
                      real.batchSeq() + 1,
                      Hashes.batchHeadHash(real),
                      real.timeMs(),
                      1,
                      Merkle.leafHash(Codec.statementBytes(forged)));
              VsProof proof =
                  new VsProof(head, forger.sign(Codec.batchHeadSigningInput(head)), 0, List.of());
              return new Attested<>(forged, proof);
            });
    assertThat(d.origin()).isEqualTo(Origin.CLIENT);
    assertThat(d.reason()).contains(Reason.BAD_SIGNATURE);
  }

  @Test
  void editedTicket_lifetimeStretched_clientLeavesWithBadProof() throws Exception {
    Disconnect d =
        throughTamperedTickets(
            genuine -> {
              PlayTicket t = genuine.statement();
              PlayTicket stretched =
                  new PlayTicket(
                      t.sessionId(),
                      t.clientBinding(),
                      t.counter(),
                      t.notBeforeMs(),
                      t.notAfterMs() + 3_600_000L,
                      t.prevTicketHash());
              return new Attested<>(stretched, genuine.proof());
            });
    assertThat(d.origin()).isEqualTo(Origin.CLIENT);
    assertThat(d.reason()).contains(Reason.BAD_PROOF);
  }

  @Test
  void replayedTicket_anOlderGenuineTicketAgain_clientLeavesWithReplay() throws Exception {
    List<byte[]> forwarded = new CopyOnWriteArrayList<>();
    Disconnect d =
        throughHost(
            new RogueHost.Tamper() {
              @Override
              public void fromGs(RogueHost.Link link, byte[] frame) {
                link.toClient(frame);
                if (type(frame) == MessageType.PLAY_TICKET) {
                  forwarded.add(frame);
                  if (forwarded.size() == 2) {
                    link.toClient(forwarded.get(0));
                  }
                }
              }
            });
    assertThat(d.origin()).isEqualTo(Origin.CLIENT);
    assertThat(d.reason()).contains(Reason.REPLAY);
  }

  @Test
  void reorderedChain_aTicketHeldBackAndSentAfterItsSuccessor_clientLeavesWithChainGap()
      throws Exception {
    List<byte[]> held = new CopyOnWriteArrayList<>();
    Disconnect d =
        throughHost(
            new RogueHost.Tamper() {
              @Override
              public void fromGs(RogueHost.Link link, byte[] frame) {
                if (type(frame) != MessageType.PLAY_TICKET || held.size() >= 2) {
                  link.toClient(frame);
                } else if (held.isEmpty()) {
                  held.add(frame);
                } else {
                  held.add(frame);
                  link.toClient(held.get(1));
                  link.toClient(held.get(0));
                }
              }
            });
    assertThat(d.origin()).isEqualTo(Origin.CLIENT);
    assertThat(d.reason()).contains(Reason.CHAIN_GAP);
  }

  @Test
  void expiredTicket_servedWithTheRealSessionKey_refusedByClientsThatKnowTheTime_nobodyStaysLonger()
      throws Exception {
    // A game server that holds its session key and was blessed once keeps its genuine ticket and
    // shows it, in a properly signed ServerHello, after the ticket expired (lifetime 5 s).
    try (RogueGs rogue = RogueGs.joined(vs, admin, proofs)) {
      Attested<PlayTicket> last = rogue.tickets().get(rogue.tickets().size() - 1);
      long lifetime = last.statement().notAfterMs() - last.statement().notBeforeMs();
      // Past its end by more than one ticket interval (2 s), so that any ticket the bystander's
      // game server shows now was issued after this one expired.
      Thread.sleep(Math.max(0, last.statement().notAfterMs() - System.currentTimeMillis() + 2_500));
      Path anchors = Files.createTempFile("e2e-anchors-", ".txt");
      Files.writeString(anchors, String.join("\n", admin.trustAnchors()) + "\n");
      String id = rogue.id().value();
      try (RogueHost stale = answeringWith(hello -> rogue.serverHello(hello, List.of(last)))) {
        // A client that has played before knows VS time from its earlier session.
        VsTimeMemory memory = new VsTimeMemory();
        Player.joined(
                bystanderGs.anchors(),
                bystanderGs.id(),
                bystanderGs.play(),
                Ed25519KeyPair.generate(RANDOM),
                b -> b.vsTimeMemory(memory))
            .close();
        Disconnect known = Player.refused(anchors, id, stale.play(), b -> b.vsTimeMemory(memory));
        assertThat(known.origin()).isEqualTo(Origin.CLIENT);
        assertThat(known.reason()).contains(Reason.TICKET_EXPIRED);

        // A client whose clock is kept by NTP and that says so.
        Disconnect synced =
            Player.refused(anchors, id, stale.play(), b -> b.maxClockSkew(Duration.ofSeconds(2)));
        assertThat(synced.origin()).isEqualTo(Origin.CLIENT);
        assertThat(synced.reason()).contains(Reason.TICKET_EXPIRED);

        // A first session with the default 15 minutes of allowed clock error cannot tell (the
        // stated limit, protocol.md 10.2): it is let in, and out within one lifetime, since the
        // host has no newer ticket to show.
        try (Player fresh =
            Player.joined(anchors, id, stale.play(), Ed25519KeyPair.generate(RANDOM), b -> b)) {
          Disconnect d = fresh.out.get(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(d.origin()).isEqualTo(Origin.CLIENT);
          assertThat(d.reason()).contains(Reason.NO_FRESH_TICKET);
          assertThat(ms(fresh.outNanos - fresh.lastTicketNanos))
              .isLessThanOrEqualTo(lifetime + 250);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // A host that hides the revoke: its clients starve

  @Test
  void hostHidesTheRevoke_everyClientLeavesWithNoFreshTicketWithinTheTicketLifetime()
      throws Exception {
    AtomicInteger revokesHidden = new AtomicInteger();
    try (Gs gs = Gs.enrolled(freshId("hider"), vs, admin).start(vs);
        RogueHost host = RogueHost.relaying(gs.play(), RogueHost.hidingTheRevoke(revokesHidden))) {
      List<Player> players = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        players.add(Player.joined(gs, host.play(), Ed25519KeyPair.generate(RANDOM)));
      }
      String session = gs.session().orElseThrow();
      long lifetime = lifetimeMs(players.get(0));

      long requested = System.nanoTime();
      admin.post("/api/sessions/" + session + "/revoke", "{\"reason\":\"e2e\"}", 200);

      List<Long> sinceRevoke = new ArrayList<>();
      List<Long> sinceLastTicket = new ArrayList<>();
      for (Player p : players) {
        Disconnect d = p.out.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(d.origin()).isEqualTo(Origin.CLIENT);
        assertThat(d.reason()).contains(Reason.NO_FRESH_TICKET);
        sinceRevoke.add(ms(p.outNanos - requested));
        sinceLastTicket.add(ms(p.outNanos - p.lastTicketNanos));
        p.close();
      }
      assertThat(revokesHidden.get()).isEqualTo(players.size());
      assertThat(gs.exitWithin(WAIT)).isPresent(); // the GS itself was revoked
      // The kick bound of docs/protocol.md 10.2: out at most L after the newest ticket, plus the
      // client's watchdog scheduling.
      assertThat(sinceLastTicket)
          .allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(lifetime + 250));
      assertThat(sinceRevoke).allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(lifetime + 250));
      System.out.println(
          "e2e: revoke hidden by the host -> clients out (NO_FRESH_TICKET), ticket lifetime "
              + lifetime
              + " ms: since the revoke "
              + summary(sinceRevoke)
              + "; since each client's newest ticket "
              + summary(sinceLastTicket));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Inputs: the game server refuses what the host replays or moves between sessions

  @Test
  void replayedClientInput_gameServerClosesWithReplay() throws Exception {
    AtomicInteger inputs = new AtomicInteger();
    double before = target.metric(rejections(Reason.REPLAY));
    try (RogueHost host =
            RogueHost.relaying(
                target.play(),
                new RogueHost.Tamper() {
                  @Override
                  public void fromClient(RogueHost.Link link, byte[] frame) {
                    link.toGs(frame);
                    if (type(frame) == MessageType.CLIENT_INPUT && inputs.incrementAndGet() == 3) {
                      link.toGs(frame);
                    }
                  }
                });
        Player p = Player.joined(target, host.play(), Ed25519KeyPair.generate(RANDOM))) {
      Disconnect d = movesUntilOut(p);
      assertThat(d.origin()).isEqualTo(Origin.SERVER);
      assertThat(d.reason()).contains(Reason.REPLAY);
      assertThat(target.metric(rejections(Reason.REPLAY))).isEqualTo(before + 1);
    }
  }

  @Test
  void inputSignedForAnotherSession_gameServerClosesWithWrongSession() throws Exception {
    // One player in two matches: the host of the second takes an input the player signed in the
    // first and passes it off as one of the second.
    Ed25519KeyPair key = Ed25519KeyPair.generate(RANDOM);
    CompletableFuture<byte[]> captured = new CompletableFuture<>();
    double before = target.metric(rejections(Reason.WRONG_SESSION));
    try (RogueHost recorder =
            RogueHost.relaying(
                bystanderGs.play(),
                new RogueHost.Tamper() {
                  @Override
                  public void fromClient(RogueHost.Link link, byte[] frame) {
                    link.toGs(frame);
                    if (type(frame) == MessageType.CLIENT_INPUT) {
                      captured.complete(frame);
                    }
                  }
                });
        Player first = Player.joined(bystanderGs, recorder.play(), key)) {
      first.move(new Vec2(10, 0));
      byte[] elsewhere = captured.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      try (RogueHost injector =
              RogueHost.relaying(
                  target.play(),
                  new RogueHost.Tamper() {
                    @Override
                    public void fromClient(RogueHost.Link link, byte[] frame) {
                      link.toGs(type(frame) == MessageType.CLIENT_INPUT ? elsewhere : frame);
                    }
                  });
          Player second = Player.joined(target, injector.play(), key)) {
        Disconnect d = movesUntilOut(second);
        assertThat(d.origin()).isEqualTo(Origin.SERVER);
        assertThat(d.reason()).contains(Reason.WRONG_SESSION);
        assertThat(target.metric(rejections(Reason.WRONG_SESSION))).isEqualTo(before + 1);
      }
      assertThat(first.session().isOpen()).isTrue();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // A host without the session key posing as the blessed game server

  @Test
  void impostorWithoutTheSessionKey_clientRefusesTheHandshake() throws Exception {
    // Everything the impostor knows, it learned as a client of the blessed game server: its
    // ServerHello, whose JoinAccept and tickets are public and genuine.
    CompletableFuture<byte[]> learned = new CompletableFuture<>();
    try (RogueHost spy =
            RogueHost.relaying(
                target.play(),
                new RogueHost.Tamper() {
                  @Override
                  public void fromGs(RogueHost.Link link, byte[] frame) {
                    learned.complete(frame);
                    link.toClient(frame);
                  }
                });
        Player victim = Player.joined(target, spy.play(), Ed25519KeyPair.generate(RANDOM))) {
      byte[] seen = learned.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      ServerHello genuine = Codec.decodeSigned(seen, ServerHello.class).body();
      Ed25519KeyPair notTheSessionKey = Ed25519KeyPair.generate(RANDOM);

      // The captured hello as it is: signed by the session key, but for another challenge.
      try (RogueHost replaying = answeringWith(hello -> seen)) {
        Disconnect d = Player.refused(target, replaying.play());
        assertThat(d.origin()).isEqualTo(Origin.CLIENT);
        assertThat(d.reason()).contains(Reason.HANDSHAKE_MISMATCH);
      }
      // A hello for this client's challenge, with the genuine JoinAccept and fresh tickets, signed
      // with a key of the impostor's own.
      try (RogueHost signing =
          answeringWith(
              hello -> {
                ClientHello h = Codec.decodeSigned(hello, ClientHello.class).body();
                return Codec.encode(
                    Signed.sign(
                        new ServerHello(
                            h.clientKey(), h.challenge(), genuine.joinAccept(), genuine.tickets()),
                        notTheSessionKey));
              })) {
        Disconnect d = Player.refused(target, signing.play());
        assertThat(d.origin()).isEqualTo(Origin.CLIENT);
        assertThat(d.reason()).contains(Reason.BAD_SIGNATURE);
      }
      assertThat(victim.session().isOpen()).isTrue();
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** A frame computation that may reject, for the event-loop callbacks of a host. */
  private interface Answer {
    byte[] of(byte[] frame) throws Rejection;
  }

  /** A host with no game server behind it that answers every hello with {@code answer}. */
  private static RogueHost answeringWith(Answer answer) throws Exception {
    return RogueHost.answering(
        new RogueHost.Tamper() {
          @Override
          public void fromClient(RogueHost.Link link, byte[] frame) {
            if (type(frame) != MessageType.CLIENT_HELLO) {
              return; // a client's inputs: nobody plays here
            }
            try {
              link.toClient(answer.of(frame));
            } catch (Rejection e) {
              link.closeClient(Reason.CLOSE_CODE_BASE + e.reason().code(), e.reason().name());
            }
          }
        });
  }

  /**
   * A client of the target game server behind a host that replaces the first ticket it forwards
   * with {@code tamper} of it; the client's reason for leaving.
   */
  private static Disconnect throughTamperedTickets(UnaryOperator<Attested<PlayTicket>> tamper)
      throws Exception {
    AtomicInteger tickets = new AtomicInteger();
    return throughHost(
        new RogueHost.Tamper() {
          @Override
          public void fromGs(RogueHost.Link link, byte[] frame) {
            if (type(frame) == MessageType.PLAY_TICKET && tickets.incrementAndGet() == 1) {
              link.toClient(Codec.encode(tamper.apply(decodeTicket(frame))));
            } else {
              link.toClient(frame);
            }
          }
        });
  }

  /** A client of the target game server behind a host doing {@code tamper}; why it left. */
  private static Disconnect throughHost(RogueHost.Tamper tamper) throws Exception {
    try (RogueHost host = RogueHost.relaying(target.play(), tamper);
        Player p = Player.joined(target, host.play(), Ed25519KeyPair.generate(RANDOM))) {
      return p.out.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** Moves until the session ends; why it ended. */
  private static Disconnect movesUntilOut(Player p) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!p.out.isDone() && System.nanoTime() < deadline) {
      p.move(new Vec2(10, 0));
      Thread.sleep(50);
    }
    return p.out.get(1, TimeUnit.SECONDS);
  }

  private static Attested<PlayTicket> decodeTicket(byte[] frame) {
    try {
      return Codec.decodeAttested(frame, PlayTicket.class);
    } catch (Rejection e) {
      throw new IllegalStateException(e);
    }
  }

  private static MessageType type(byte[] frame) {
    try {
      return Codec.decode(frame).type();
    } catch (Rejection e) {
      throw new IllegalStateException("a frame that does not decode", e);
    }
  }

  private static long lifetimeMs(Player p) {
    PlayTicket t = p.session().newestTicket();
    return t.notAfterMs() - t.notBeforeMs();
  }

  private static String rejections(Reason reason) {
    return "mmo_gs_play_rejections_total{reason=\"" + reason.name() + "\"}";
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static String summary(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return "min "
        + sorted.get(0)
        + " / p50 "
        + sorted.get(sorted.size() / 2)
        + " / max "
        + sorted.get(sorted.size() - 1)
        + " ms (n="
        + sorted.size()
        + ")";
  }

  private static String freshId(String role) {
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    return role + "-" + HexFormat.of().formatHex(random);
  }
}
