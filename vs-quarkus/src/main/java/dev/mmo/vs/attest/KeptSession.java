package dev.mmo.vs.attest;

import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.vs.session.NotarizedBaseline;
import dev.mmo.vs.session.NotarizedPosition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a bound connection keeps of its session's state between frames, so that a running session
 * costs Redis as little as it can.
 *
 * <p>The notarized state, so that a digest is audited without reading it back from Redis
 * (docs/protocol.md 9.2): the baseline, and the last notarized position of every player the
 * connection has looked up, or the fact that the player has none.
 *
 * <p>Only the connection that owns the session notarizes it, one digest at a time, so after a
 * digest it notarized, what it keeps is what Redis holds. It is a copy, never the authority: the
 * notarize script checks ownership, status and the baseline's gs_counter again, so a copy gone
 * stale can only get a digest refused, never notarized. Any outcome but a notarized digest drops it
 * all, and the next digest reads Redis again. A new connection (join or resume) starts empty.
 *
 * <p>Confined to one connection, whose frames are checked one at a time: each check starts after
 * the previous one ended, on the connection's context, so no two threads use it at once.
 */
public final class KeptSession {
  private NotarizedBaseline baseline;

  /** When this connection last put the session on the silence watch; never when {@code false}. */
  private boolean watched;

  private long watchedAtMs;

  /** Players looked up or notarized: their notarized position, or empty if they have none. */
  private final Map<Ed25519PublicKey, Optional<NotarizedPosition>> positions = new HashMap<>();

  /** The baseline, if kept. */
  Optional<NotarizedBaseline> baseline() {
    return Optional.ofNullable(baseline);
  }

  /** Keeps the baseline read from Redis. */
  void read(NotarizedBaseline read) {
    baseline = read;
  }

  /** Which of {@code players} this connection has not looked up yet. */
  List<Ed25519PublicKey> unknown(List<Ed25519PublicKey> players) {
    List<Ed25519PublicKey> unknown = new ArrayList<>();
    for (Ed25519PublicKey p : players) {
      if (!positions.containsKey(p)) {
        unknown.add(p);
      }
    }
    return unknown;
  }

  /**
   * Keeps what Redis held for {@code asked}: a player absent from {@code found} has no position.
   */
  void read(List<Ed25519PublicKey> asked, Map<Ed25519PublicKey, NotarizedPosition> found) {
    for (Ed25519PublicKey p : asked) {
      positions.put(p, Optional.ofNullable(found.get(p)));
    }
  }

  /** The notarized positions of those of {@code players} that have one; all must be known. */
  Map<Ed25519PublicKey, NotarizedPosition> positionsOf(List<Ed25519PublicKey> players) {
    Map<Ed25519PublicKey, NotarizedPosition> known = new HashMap<>();
    for (Ed25519PublicKey p : players) {
      Optional<NotarizedPosition> kept = positions.get(p);
      if (kept == null) {
        throw new IllegalStateException("player not looked up: " + p.hex());
      }
      kept.ifPresent(position -> known.put(p, position));
    }
    return known;
  }

  /** The digest behind {@code next} was notarized with {@code notarized}: Redis now holds these. */
  void notarized(NotarizedBaseline next, List<PlayerPosition> notarized) {
    baseline = next;
    for (PlayerPosition p : notarized) {
      positions.put(
          p.player(),
          Optional.of(new NotarizedPosition(p.position(), next.tick(), next.gsCounter())));
    }
  }

  /**
   * Whether a heartbeat or digest accepted now should put the session on the silence watch again:
   * this connection has not, or not for {@code everyMs}. The watch needs no entry newer than that:
   * a session due on it is checked against the time it was last heard from, which every accepted
   * frame records, and is put back at its real deadline if it was heard from since.
   */
  boolean watchDue(long nowMs, long everyMs) {
    return !watched || nowMs - watchedAtMs >= everyMs;
  }

  /** The session was put on the silence watch at {@code nowMs}. */
  void watched(long nowMs) {
    watched = true;
    watchedAtMs = nowMs;
  }

  /**
   * Forgets the notarized state (not the watch, which Redis keeps): the next digest reads Redis.
   */
  void drop() {
    baseline = null;
    positions.clear();
  }
}
