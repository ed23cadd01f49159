package dev.mmo.gs.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.gs.vs.TranscriptSource;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.crypto.SoftwareEcdsaSigner;
import dev.mmo.protocol.trust.BatchSealer;
import dev.mmo.protocol.trust.SealedBatch;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.protocol.world.Vec2;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The match, its transcript and the replay, without a server: every tick compared. */
class TranscriptReplayTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final GameRules RULES =
      new GameRules(20, 5_000, new Bounds(-10_000, -10_000, 10_000, 10_000));

  @TempDir Path dir;
  private Attested<JoinAccept> accept;
  private Attested<PlayTicket> ticket;

  @BeforeEach
  void seal() throws Exception {
    SessionId session = SessionId.random(RANDOM);
    JoinAccept statement =
        new JoinAccept(
            session,
            new GsId("gs-test"),
            Ed25519KeyPair.generate(RANDOM).publicKey(),
            Sha256.hash(new byte[] {1}),
            Sha256.hash(new byte[] {2}),
            1_000,
            1_000,
            2_000,
            5_000,
            RULES);
    PlayTicket first =
        new PlayTicket(session, Hash.ZERO, 1, 1_000, 6_000, Hashes.statementHash(statement));
    SealedBatch batch =
        BatchSealer.seal(
            List.of(statement, first), 0, Hash.ZERO, 1_000, SoftwareEcdsaSigner.generate(RANDOM));
    accept = batch.attest(statement, 0);
    ticket = batch.attest(first, 1);
  }

  @Test
  void replay_ofARecordedMatch_givesEveryTicksPositionsAndTip() throws Exception {
    List<TranscriptSource.State> live = new ArrayList<>();
    Path file = playAndRecord(live);
    List<TranscriptSource.State> replayed = new ArrayList<>();
    TranscriptSource.State last = TranscriptReplay.replay(file, replayed::add);

    // Ticks without records are not in the log; every tick that is must match the live one.
    List<TranscriptSource.State> liveWithRecords = new ArrayList<>();
    for (TranscriptSource.State s : live) {
      if (replayed.stream().anyMatch(r -> r.tick() == s.tick())) {
        liveWithRecords.add(s);
      }
    }
    assertThat(replayed).isEqualTo(liveWithRecords);
    assertThat(replayed).hasSizeGreaterThanOrEqualTo(5);
    TranscriptSource.State end = live.get(live.size() - 1);
    assertThat(last.receiptTip()).isEqualTo(end.receiptTip());
    assertThat(last.positions()).isEqualTo(end.positions());
    assertThat(TranscriptReplay.header(file).joinAccept()).isEqualTo(accept);
  }

  @Test
  void replay_withInputListener_seesEveryLoggedInputInOrder() throws Exception {
    Path file = playAndRecord(new ArrayList<>());
    List<String> seen = new ArrayList<>();
    TranscriptReplay.replay(
        file, s -> {}, (tick, player, input) -> seen.add(tick + ":" + input.clientNonce()));

    // Player a: ticks 2..12 except multiples of 4; player b: two a tick from 4, none at 7.
    assertThat(seen).hasSize(8 + 2 * 8);
    assertThat(seen.get(0)).isEqualTo("2:1");
    assertThat(seen).containsSubsequence("11:8", "12:15", "12:16").endsWith("12:16");
  }

  @Test
  void replay_inputSignatureTampered_refused() throws Exception {
    Path file = playAndRecord(new ArrayList<>());
    byte[] bytes = Files.readAllBytes(file);
    // The last 64 bytes before the final TICK record (1 + 8 + 32) are the last input's signature.
    bytes[bytes.length - 41 - 10] ^= 0x01;
    Files.write(file, bytes);
    assertThatThrownBy(() -> TranscriptReplay.replay(file, s -> {}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("BAD_SIGNATURE");
  }

  @Test
  void replay_tipTampered_refused() throws Exception {
    Path file = playAndRecord(new ArrayList<>());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 0x01;
    Files.write(file, bytes);
    assertThatThrownBy(() -> TranscriptReplay.replay(file, s -> {}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("receipt tip");
  }

  @Test
  void replay_truncated_refused() throws Exception {
    Path file = playAndRecord(new ArrayList<>());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    assertThatThrownBy(() -> TranscriptReplay.replay(file, s -> {}))
        .isInstanceOf(IOException.class);
  }

  @Test
  void check_sameInputTwice_replay() throws Exception {
    Match match = new Match(accept, 9, 64);
    match.tickets(List.of(ticket));
    Ed25519KeyPair key = Ed25519KeyPair.generate(RANDOM);
    Match.Player player = match.player(key.publicKey(), Ed25519Verifier.of(key.publicKey())).get();
    byte[] frame = input(key, 1, new Vec2(1, 1));
    match.check(frame, player);
    assertThatThrownBy(() -> match.check(frame, player))
        .isInstanceOf(Rejection.class)
        .extracting(e -> ((Rejection) e).reason())
        .isEqualTo(Reason.REPLAY);
  }

  /** Two players over 12 ticks, some with several inputs, some with none; returns the log. */
  private Path playAndRecord(List<TranscriptSource.State> states) throws Exception {
    long seed = RANDOM.nextLong();
    Match match = new Match(accept, seed, 1_000);
    match.tickets(List.of(ticket));
    Ed25519KeyPair a = Ed25519KeyPair.generate(RANDOM);
    Ed25519KeyPair b = Ed25519KeyPair.generate(RANDOM);
    Match.Player pa = match.player(a.publicKey(), Ed25519Verifier.of(a.publicKey())).get();
    Match.Player pb = match.player(b.publicKey(), Ed25519Verifier.of(b.publicKey())).get();
    long na = 0;
    long nb = 0;
    try (TranscriptLog log = TranscriptLog.create(dir, accept, seed)) {
      for (int tick = 1; tick <= 12; tick++) {
        if (tick == 1) {
          match.offerJoin(a.publicKey());
        }
        if (tick == 3) {
          match.offerJoin(b.publicKey());
        }
        if (tick >= 2 && tick % 4 != 0) {
          match.offerInput(match.check(input(a, ++na, new Vec2(300 * tick, -40)), pa));
        }
        if (tick >= 4 && tick != 7) {
          match.offerInput(match.check(input(b, ++nb, new Vec2(-120, 90)), pb));
          match.offerInput(match.check(input(b, ++nb, new Vec2(-120, Integer.MAX_VALUE)), pb));
        }
        Match.TickResult result = match.tick();
        if (!result.batch().isEmpty()) {
          log.write(result.batch());
        }
        states.add(result.state());
      }
      return log.file();
    }
  }

  private byte[] input(Ed25519KeyPair key, long nonce, Vec2 move) {
    ClientInput body =
        new ClientInput(
            accept.statement().sessionId(),
            ticket.statement().counter(),
            Hashes.statementHash(ticket.statement()),
            nonce,
            move,
            0);
    return Codec.encode(Signed.sign(body, key));
  }
}
