package dev.mmo.client;

import dev.mmo.gs.vs.Blessing;
import dev.mmo.gs.vs.BlessingListener;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.world.GameRules;
import io.vertx.core.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the game server's VS link would hand it, for tests: a JoinAccept, tickets, receipts and
 * revokes really sealed by {@link VsRoot}. The key the GS signs with ({@link #sessionKey()}) can
 * differ from the one the JoinAccept pins, to play a GS that does not hold the blessed session key.
 */
final class SealedBlessing implements Blessing {
  private static final SecureRandom RANDOM = new SecureRandom();

  final VsRoot vs;
  final SessionId session = SessionId.random(RANDOM);
  final Ed25519KeyPair pinnedKey = Ed25519KeyPair.generate(RANDOM);
  private final Ed25519KeyPair signingKey;
  private final Context linkContext;
  private final Clock clock;
  private final List<BlessingListener> listeners = new CopyOnWriteArrayList<>();
  private final Attested<JoinAccept> joinAccept;
  private volatile List<Attested<PlayTicket>> tickets = List.of();
  private Hash chainTip;
  private long counter;

  /** A blessing whose GS holds the pinned session key. */
  SealedBlessing(VsRoot vs, Context linkContext, Clock clock, GsId gsId, GameRules rules) {
    this(vs, linkContext, clock, gsId, rules, null);
  }

  /** A blessing whose GS signs with {@code signingKey} instead of the pinned key (when given). */
  SealedBlessing(
      VsRoot vs,
      Context linkContext,
      Clock clock,
      GsId gsId,
      GameRules rules,
      Ed25519KeyPair signingKey) {
    this.vs = vs;
    this.linkContext = linkContext;
    this.clock = clock;
    this.signingKey = signingKey == null ? pinnedKey : signingKey;
    JoinAccept accept =
        new JoinAccept(
            session,
            gsId,
            pinnedKey.publicKey(),
            Sha256.hash(new byte[] {1}),
            Sha256.hash(new byte[] {2}),
            clock.millis(),
            1_000,
            2_000,
            5_000,
            rules);
    this.joinAccept = vs.seal(accept, clock.millis());
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
    return Optional.of(signingKey);
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
    Attested<PlayTicket> attested = vs.seal(ticket, now);
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

  /** A receipt for {@code tip}, which the GS then puts into its snapshots. */
  Attested<ProtectedReceipt> receipt(long gsCounter, Hash tip) {
    Attested<ProtectedReceipt> receipt =
        vs.seal(
            new ProtectedReceipt(
                session, gsCounter, tip, Sha256.hash(new byte[] {3}), clock.millis()),
            clock.millis());
    linkContext.runOnContext(v -> listeners.forEach(l -> l.onReceipt(receipt)));
    return receipt;
  }

  /** Hands {@code revoke} to the GS as if the VS link had received it; the GS forwards it. */
  void deliverRevoke(Attested<Revoke> revoke) {
    linkContext.runOnContext(v -> listeners.forEach(l -> l.onRevoke(revoke)));
  }

  Attested<Revoke> revoke(int reasonCode) {
    return vs.seal(new Revoke(session, reasonCode, clock.millis()), clock.millis());
  }
}
