package dev.mmo.bench;

import dev.mmo.gs.vs.Blessing;
import dev.mmo.gs.vs.BlessingListener;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.crypto.SigningException;
import dev.mmo.protocol.crypto.SoftwareEcdsaSigner;
import dev.mmo.protocol.trust.BatchSealer;
import dev.mmo.protocol.trust.SealedBatch;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * A blessed session for the game-server benchmarks: a JoinAccept and one ticket valid for an hour,
 * both really sealed by a software VS root key. It never changes, so listeners get no events.
 */
final class BenchSession implements Blessing {
  static final GsId GS_ID = new GsId("gs-bench");
  static final GameRules RULES =
      new GameRules(20, 5_000, new Bounds(-1_000_000, -1_000_000, 1_000_000, 1_000_000));

  final Ed25519KeyPair sessionKey = Ed25519KeyPair.generate(new SecureRandom());
  final Attested<JoinAccept> joinAccept;
  final Attested<PlayTicket> ticket;

  BenchSession(long nowMs) {
    SoftwareEcdsaSigner root = SoftwareEcdsaSigner.generate(new SecureRandom());
    JoinAccept accept =
        new JoinAccept(
            SessionId.random(new SecureRandom()),
            GS_ID,
            sessionKey.publicKey(),
            Sha256.hash("mmo bench software".getBytes(StandardCharsets.US_ASCII)),
            Sha256.hash("mmo bench join request".getBytes(StandardCharsets.US_ASCII)),
            nowMs,
            1_000,
            2_000,
            5_000,
            RULES);
    PlayTicket first =
        new PlayTicket(
            accept.sessionId(),
            Hash.ZERO,
            1,
            nowMs,
            nowMs + 3_600_000,
            Hashes.statementHash(accept));
    try {
      SealedBatch batch = BatchSealer.seal(List.of(accept, first), 0, Hash.ZERO, nowMs, root);
      joinAccept = batch.attest(accept, 0);
      ticket = batch.attest(first, 1);
    } catch (SigningException e) {
      throw new IllegalStateException(e);
    }
  }

  SessionId session() {
    return joinAccept.statement().sessionId();
  }

  @Override
  public Optional<Attested<JoinAccept>> joinAccept() {
    return Optional.of(joinAccept);
  }

  @Override
  public List<Attested<PlayTicket>> tickets() {
    return List.of(ticket);
  }

  @Override
  public Optional<Ed25519KeyPair> sessionKey() {
    return Optional.of(sessionKey);
  }

  @Override
  public void addListener(BlessingListener listener) {
    // The session never changes: nothing to tell.
  }
}
