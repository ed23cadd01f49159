package dev.mmo.e2e;

import dev.mmo.client.Disconnect;
import dev.mmo.client.MmoClient;
import dev.mmo.client.MmoListener;
import dev.mmo.client.Session;
import dev.mmo.client.TrustAnchorsFile;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.WorldSnapshot;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** One player: an mmo client (client-lib) on a game server process, and what it saw. */
final class Player implements MmoListener, AutoCloseable {
  final Ed25519KeyPair key = Ed25519KeyPair.generate(new SecureRandom());
  final CompletableFuture<Disconnect> out = new CompletableFuture<>();
  final AtomicInteger receipts = new AtomicInteger();

  /** Wall-clock ms when the session ended, as seen by this client. */
  volatile long outAtMs;

  private final List<long[]> positions = new ArrayList<>();
  private Session session;

  static Player joined(Gs gs) throws Exception {
    Player player = new Player();
    MmoClient client =
        MmoClient.builder()
            .trustAnchors(TrustAnchorsFile.read(gs.anchors()))
            .clientKey(player.key)
            .gameServer(new GsId(gs.id()), gs.play())
            .listener(player)
            .build();
    player.session = client.connect().get(30, TimeUnit.SECONDS);
    return player;
  }

  Session session() {
    return session;
  }

  boolean move(Vec2 move) {
    return session.move(move, 0);
  }

  /** This player's position per snapshot tick, in arrival order: {tick, x, y}. */
  synchronized List<long[]> track() {
    return new ArrayList<>(positions);
  }

  @Override
  public void onSnapshot(Session s, WorldSnapshot snapshot) {
    for (PlayerPosition p : snapshot.positions()) {
      if (p.player().equals(key.publicKey())) {
        synchronized (this) {
          positions.add(new long[] {snapshot.tick(), p.position().x(), p.position().y()});
        }
      }
    }
  }

  @Override
  public void onReceipt(Session s, ProtectedReceipt receipt) {
    receipts.incrementAndGet();
  }

  @Override
  public void onDisconnect(Session s, Disconnect disconnect) {
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
