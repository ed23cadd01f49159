package dev.mmo.gs.play;

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
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.VsStatement;
import dev.mmo.protocol.world.GameRules;
import io.vertx.core.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the VS link in tests: every statement it hands out is really sealed by a VS root
 * key ({@link SoftwareEcdsaSigner} + {@link BatchSealer}), one batch per statement, and its events
 * reach the listeners on its own Vert.x context, as the link's do.
 */
final class TestBlessing implements Blessing {
  private static final SecureRandom RANDOM = new SecureRandom();

  final SoftwareEcdsaSigner vsRoot = SoftwareEcdsaSigner.generate(RANDOM);
  final Ed25519KeyPair sessionKey = Ed25519KeyPair.generate(RANDOM);
  final SessionId session = SessionId.random(RANDOM);
  private final Context linkContext;
  private final Clock clock;
  private final List<BlessingListener> listeners = new CopyOnWriteArrayList<>();
  private final Attested<JoinAccept> joinAccept;
  private volatile List<Attested<PlayTicket>> tickets = List.of();
  private long batchSeq;
  private Hash prevHead = Hash.ZERO;
  private Hash chainTip;
  private long counter;

  TestBlessing(Context linkContext, Clock clock, GsId gsId, GameRules rules) {
    this.linkContext = linkContext;
    this.clock = clock;
    JoinAccept accept =
        new JoinAccept(
            session,
            gsId,
            sessionKey.publicKey(),
            Sha256.hash(new byte[] {1}),
            Sha256.hash(new byte[] {2}),
            clock.millis(),
            1_000,
            2_000,
            5_000,
            rules);
    this.joinAccept = seal(accept);
    this.chainTip = Hashes.statementHash(accept);
  }

  @Override
  public Optional<Attested<JoinAccept>> joinAccept() {
    return Optional.of(joinAccept);
  }

  @Override
  public List<Attested<PlayTicket>> tickets() {
    return tickets;
  }

  @Override
  public Optional<Ed25519KeyPair> sessionKey() {
    return Optional.of(sessionKey);
  }

  @Override
  public void addListener(BlessingListener listener) {
    listeners.add(listener);
  }

  /** The next ticket of the chain, valid for {@code lifetimeMs} from now. */
  synchronized Attested<PlayTicket> issueTicket(long lifetimeMs) {
    long now = clock.millis();
    PlayTicket ticket =
        new PlayTicket(session, Hash.ZERO, ++counter, now, now + lifetimeMs, chainTip);
    Attested<PlayTicket> attested = seal(ticket);
    chainTip = Hashes.statementHash(ticket);
    List<Attested<PlayTicket>> next = new ArrayList<>(tickets);
    next.add(attested);
    while (next.size() > KEPT_TICKETS) {
      next.remove(0);
    }
    tickets = List.copyOf(next);
    linkContext.runOnContext(v -> listeners.forEach(l -> l.onTicket(attested)));
    return attested;
  }

  synchronized Attested<ProtectedReceipt> receipt(long gsCounter, Hash tip) {
    Attested<ProtectedReceipt> receipt =
        seal(
            new ProtectedReceipt(
                session, gsCounter, tip, Sha256.hash(new byte[] {3}), clock.millis()));
    linkContext.runOnContext(v -> listeners.forEach(l -> l.onReceipt(receipt)));
    return receipt;
  }

  synchronized Attested<Revoke> revoke(int reasonCode) {
    Attested<Revoke> revoke = seal(new Revoke(session, reasonCode, clock.millis()));
    linkContext.runOnContext(v -> listeners.forEach(l -> l.onRevoke(revoke)));
    return revoke;
  }

  void loseSession() {
    linkContext.runOnContext(v -> listeners.forEach(l -> l.onSessionLost("resume refused")));
  }

  private synchronized <S extends VsStatement> Attested<S> seal(S statement) {
    try {
      SealedBatch batch =
          BatchSealer.seal(List.of(statement), batchSeq++, prevHead, clock.millis(), vsRoot);
      prevHead = Hashes.batchHeadHash(batch.head());
      return batch.attest(statement, 0);
    } catch (SigningException e) {
      throw new IllegalStateException(e);
    }
  }
}
