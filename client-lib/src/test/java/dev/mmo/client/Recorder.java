package dev.mmo.client;

import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.WorldSnapshot;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Records what a session reports. */
final class Recorder implements MmoListener {
  final AtomicReference<WorldSnapshot> lastSnapshot = new AtomicReference<>();
  final List<ProtectedReceipt> receipts = new CopyOnWriteArrayList<>();
  final List<PlayTicket> tickets = new CopyOnWriteArrayList<>();
  final List<Revoke> revokes = new CopyOnWriteArrayList<>();
  final CompletableFuture<Disconnect> disconnect = new CompletableFuture<>();
  final AtomicLong disconnectedAtWallMs = new AtomicLong();

  @Override
  public void onSnapshot(Session session, WorldSnapshot snapshot) {
    lastSnapshot.set(snapshot);
  }

  @Override
  public void onReceipt(Session session, ProtectedReceipt receipt) {
    receipts.add(receipt);
  }

  @Override
  public void onTicket(Session session, PlayTicket ticket) {
    tickets.add(ticket);
  }

  @Override
  public void onRevoked(Session session, Revoke revoke) {
    revokes.add(revoke);
  }

  @Override
  public void onDisconnect(Session session, Disconnect d) {
    disconnectedAtWallMs.set(System.currentTimeMillis());
    if (!disconnect.complete(d)) {
      throw new AssertionError("a second disconnect: " + d);
    }
  }
}
