package dev.mmo.e2e;

import dev.mmo.client.Disconnect;
import dev.mmo.client.MmoClient;
import dev.mmo.client.MmoListener;
import dev.mmo.client.RefusedException;
import dev.mmo.client.Session;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.trust.TrustAnchorsFile;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.WorldSnapshot;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** One player: an mmo client (client-lib) on a game server process, and what it saw. */
final class Player implements MmoListener, AutoCloseable {
  final Ed25519KeyPair key;
  final CompletableFuture<Disconnect> out = new CompletableFuture<>();
  final AtomicInteger receipts = new AtomicInteger();
  final AtomicInteger tickets = new AtomicInteger();

  /** Wall-clock ms when the session ended, as seen by this client. */
  volatile long outAtMs;

  /** {@link System#nanoTime} when the session ended, and when the newest ticket arrived. */
  volatile long outNanos;

  volatile long lastTicketNanos;

  private final List<long[]> positions = new ArrayList<>();
  private Session session;

  private Player(Ed25519KeyPair key) {
    this.key = key;
  }

  static Player joined(Gs gs) throws Exception {
    return joined(gs, gs.play(), Ed25519KeyPair.generate(new SecureRandom()));
  }

  /**
   * A player with {@code key} who reaches {@code gs} through {@code via}, a host that may not be
   * the game server itself.
   */
  static Player joined(Gs gs, URI via, Ed25519KeyPair key) throws Exception {
    return joined(gs.anchors(), gs.id(), via, key, b -> b);
  }

  /**
   * A player trusting {@code anchors} who asks {@code via} for the game server {@code gsId}, with
   * its client built by {@code tune}.
   */
  static Player joined(
      Path anchors, String gsId, URI via, Ed25519KeyPair key, UnaryOperator<MmoClient.Builder> tune)
      throws Exception {
    Player player = new Player(key);
    player.session = player.client(anchors, gsId, via, tune).connect().get(30, TimeUnit.SECONDS);
    player.lastTicketNanos = System.nanoTime(); // the ServerHello showed its newest ticket
    return player;
  }

  /** Why a client asking {@code via} for the blessed game server {@code gs} was refused. */
  static Disconnect refused(Gs gs, URI via) throws Exception {
    return refused(gs.anchors(), gs.id(), via, b -> b);
  }

  /**
   * Why a client trusting {@code anchors}, built by {@code tune}, and asking {@code via} for {@code
   * gsId} was refused.
   */
  static Disconnect refused(
      Path anchors, String gsId, URI via, UnaryOperator<MmoClient.Builder> tune) throws Exception {
    Player player = new Player(Ed25519KeyPair.generate(new SecureRandom()));
    try {
      Session s = player.client(anchors, gsId, via, tune).connect().get(30, TimeUnit.SECONDS);
      s.close();
      throw new AssertionError("the client trusted " + via + " as " + gsId);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RefusedException refused) {
        return refused.disconnect();
      }
      throw e;
    }
  }

  private MmoClient client(
      Path anchors, String gsId, URI via, UnaryOperator<MmoClient.Builder> tune) throws Exception {
    return tune.apply(
            MmoClient.builder()
                .trustAnchors(TrustAnchorsFile.read(anchors))
                .clientKey(key)
                .gameServer(new GsId(gsId), via)
                .listener(this))
        .build();
  }

  Session session() {
    return session;
  }

  boolean move(Vec2 move) {
    return session.move(move, 0);
  }

  /** This player's position per snapshot tick, in arrival order: {tick, x, y, arrival nanos}. */
  synchronized List<long[]> track() {
    return new ArrayList<>(positions);
  }

  @Override
  public void onSnapshot(Session s, WorldSnapshot snapshot) {
    for (PlayerPosition p : snapshot.positions()) {
      if (p.player().equals(key.publicKey())) {
        synchronized (this) {
          positions.add(
              new long[] {snapshot.tick(), p.position().x(), p.position().y(), System.nanoTime()});
        }
      }
    }
  }

  @Override
  public void onReceipt(Session s, ProtectedReceipt receipt) {
    receipts.incrementAndGet();
  }

  @Override
  public void onTicket(Session s, PlayTicket ticket) {
    lastTicketNanos = System.nanoTime();
    tickets.incrementAndGet();
  }

  @Override
  public void onDisconnect(Session s, Disconnect disconnect) {
    outNanos = System.nanoTime();
    outAtMs = System.currentTimeMillis();
    out.complete(disconnect);
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
  }
}
