package dev.mmo.auditor;

import dev.mmo.gs.match.Match;
import dev.mmo.gs.match.TranscriptLog;
import dev.mmo.gs.vs.TranscriptSource;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.crypto.Signer;
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
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A real match, recorded: three clients with Ed25519 keys send signed inputs every tick for {@link
 * #PLAYED_TICKS} ticks (then the world idles up to {@link #LAST_TICK}), the game server's {@link
 * Match} applies them and its {@link TranscriptLog} writes the transcript. Every {@link
 * #DIGEST_EVERY} ticks the host signs a TranscriptDigest with the session key, and the "VS"
 * notarizes it: a ProtectedReceipt sealed with {@link BatchSealer} and {@link SoftwareEcdsaSigner},
 * three receipts a batch, chained.
 */
final class RecordedMatch {
  static final int PLAYED_TICKS = 20;
  static final int LAST_TICK = 24;
  static final int DIGEST_EVERY = 2;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final GameRules RULES =
      new GameRules(20, 5_000, new Bounds(-10_000, -10_000, 10_000, 10_000));

  final Signer vs = SoftwareEcdsaSigner.generate(RANDOM);
  final Path transcript;
  final SessionId session;
  final List<Receipt> receipts = new ArrayList<>();
  final List<Long> inputTicks = new ArrayList<>();

  /** A notarized digest as the VS's audit trail keeps it. */
  record Receipt(long gsCounter, long tick, Attested<ProtectedReceipt> receipt, byte[] digest) {}

  /** How the host or the VS misbehaves while the match is recorded. */
  static final class Faults {
    long teleportAt = -1;
    final Set<Long> untrusted = new HashSet<>();
    boolean untrustedJoinAccept;
    long foreignDigestAt = -1;

    Faults teleportAt(long gsCounter) {
      teleportAt = gsCounter;
      return this;
    }

    Faults untrustedAt(long gsCounter) {
      untrusted.add(gsCounter);
      return this;
    }

    /** The digest at {@code gsCounter} is signed by a key that is not the session's. */
    Faults foreignDigestAt(long gsCounter) {
      foreignDigestAt = gsCounter;
      return this;
    }

    Faults untrustedJoinAccept() {
      untrustedJoinAccept = true;
      return this;
    }
  }

  RecordedMatch(Path dir) throws Exception {
    this(dir, new Faults());
  }

  RecordedMatch(Path dir, Faults faults) throws Exception {
    Signer outsider = SoftwareEcdsaSigner.generate(RANDOM);
    Ed25519KeyPair sessionKey = Ed25519KeyPair.generate(RANDOM);
    session = SessionId.random(RANDOM);
    JoinAccept statement =
        new JoinAccept(
            session,
            new GsId("gs-audited"),
            sessionKey.publicKey(),
            Sha256.hash(new byte[] {1}),
            Sha256.hash(new byte[] {2}),
            1_000,
            1_000,
            2_000,
            5_000,
            RULES);
    PlayTicket first =
        new PlayTicket(session, Hash.ZERO, 1, 1_000, 6_000, Hashes.statementHash(statement));
    SealedBatch opening =
        BatchSealer.seal(
            List.of(statement, first),
            0,
            Hash.ZERO,
            1_000,
            faults.untrustedJoinAccept ? outsider : vs);
    Attested<JoinAccept> accept = opening.attest(statement, 0);
    Attested<PlayTicket> ticket = opening.attest(first, 1);

    long seed = RANDOM.nextLong();
    Match match = new Match(accept, seed, 1_000);
    match.tickets(List.of(ticket));
    List<Ed25519KeyPair> clients = new ArrayList<>();
    List<Match.Player> players = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Ed25519KeyPair key = Ed25519KeyPair.generate(RANDOM);
      clients.add(key);
      players.add(match.player(key.publicKey(), Ed25519Verifier.of(key.publicKey())).get());
    }
    long[] nonces = new long[clients.size()];
    List<TranscriptDigest> digests = new ArrayList<>();
    try (TranscriptLog log = TranscriptLog.create(dir, accept, seed)) {
      for (int tick = 1; tick <= LAST_TICK; tick++) {
        for (int p = 0; p < clients.size() && tick <= PLAYED_TICKS; p++) {
          if (tick == 1 + p) {
            match.offerJoin(clients.get(p).publicKey());
          }
          if (tick > 1 + p) {
            // Some moves over the speed limit (clamped), two inputs on even ticks.
            int moves = tick % 2 == 0 ? 2 : 1;
            for (int m = 0; m < moves; m++) {
              Vec2 move = new Vec2(37 * (p + 1) * (tick % 5 - 2), 400 - 90 * tick + 61 * p * m);
              byte[] frame = input(accept, ticket, clients.get(p), ++nonces[p], move);
              match.offerInput(match.check(frame, players.get(p)));
              inputTicks.add((long) tick);
            }
          }
        }
        Match.TickResult result = match.tick();
        if (!result.batch().isEmpty()) {
          log.write(result.batch());
        }
        if (tick % DIGEST_EVERY == 0 || tick == LAST_TICK - 1) {
          // Heartbeats take the counters in between.
          long counter = 2L * (digests.size() + 1) + 1;
          TranscriptSource.State s = result.state();
          List<PlayerPosition> positions = s.positions();
          if (counter == faults.teleportAt) {
            positions = new ArrayList<>(positions);
            PlayerPosition moved = positions.get(0);
            positions.set(
                0,
                new PlayerPosition(
                    moved.player(), new Vec2(moved.position().x() + 3_000, moved.position().y())));
          }
          digests.add(
              new TranscriptDigest(
                  session, counter, tick, 1_000 + 50L * tick, s.receiptTip(), positions));
        }
      }
      transcript = log.file();
    }
    notarize(digests, sessionKey, faults, outsider, Hashes.batchHeadHash(opening.head()));
  }

  private void notarize(
      List<TranscriptDigest> digests,
      Ed25519KeyPair sessionKey,
      Faults faults,
      Signer outsider,
      Hash prevHead)
      throws Exception {
    Ed25519KeyPair foreign = Ed25519KeyPair.generate(RANDOM);
    long seq = 1;
    for (int i = 0; i < digests.size(); ) {
      Signer signer = signerFor(digests.get(i).gsCounter(), faults, outsider);
      List<TranscriptDigest> batch = new ArrayList<>();
      while (i < digests.size()
          && batch.size() < 3
          && signerFor(digests.get(i).gsCounter(), faults, outsider) == signer) {
        batch.add(digests.get(i++));
      }
      List<ProtectedReceipt> statements = new ArrayList<>();
      List<byte[]> frames = new ArrayList<>();
      for (TranscriptDigest d : batch) {
        byte[] frame =
            Codec.encode(
                Signed.sign(d, d.gsCounter() == faults.foreignDigestAt ? foreign : sessionKey));
        frames.add(frame);
        statements.add(
            new ProtectedReceipt(
                session, d.gsCounter(), d.receiptTip(), Sha256.hash(frame), d.gsTimeMs() + 3));
      }
      SealedBatch sealed = BatchSealer.seal(statements, seq++, prevHead, 5_000 + seq, signer);
      prevHead = Hashes.batchHeadHash(sealed.head());
      for (int k = 0; k < batch.size(); k++) {
        receipts.add(
            new Receipt(
                batch.get(k).gsCounter(),
                batch.get(k).tick(),
                sealed.attest(statements.get(k), k),
                frames.get(k)));
      }
    }
  }

  private Signer signerFor(long counter, Faults faults, Signer outsider) {
    return faults.untrusted.contains(counter) ? outsider : vs;
  }

  /** The counter of the first receipt whose digest covers {@code tick}. */
  long firstCounterFrom(long tick) {
    return receipts.stream().filter(r -> r.tick() >= tick).findFirst().orElseThrow().gsCounter();
  }

  private static byte[] input(
      Attested<JoinAccept> accept,
      Attested<PlayTicket> ticket,
      Ed25519KeyPair key,
      long nonce,
      Vec2 move) {
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
