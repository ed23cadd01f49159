package dev.mmo.gs.match;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The match's world, as docs/protocol.md 10.3 defines it: fixed-point integer positions, one
 * displacement per player and tick (the saturating sum of that tick's moves, clamped to {@code m =
 * floor(max_speed / tick_rate_hz)}), positions clamped into the bounds.
 *
 * <p>Pure and deterministic: its only clock is the tick count its caller advances with {@link
 * #step()}, and spawn positions come from a {@link SplittableRandom} with a given seed, so the same
 * seed, joins and moves give the same positions on every machine. Not thread-safe: one owner.
 */
public final class Simulation {
  private final GameRules rules;
  private final int maxStep;
  private final SplittableRandom random;
  // Sorted by key as unsigned bytes: the order positions travel in.
  private final TreeMap<Ed25519PublicKey, Vec2> positions = new TreeMap<>();
  private final TreeMap<Ed25519PublicKey, Vec2> pending = new TreeMap<>();
  private long tick;

  public Simulation(GameRules rules, long seed) {
    this.rules = requireNonNull(rules, "rules");
    this.maxStep = rules.maxStepPerTick();
    this.random = new SplittableRandom(seed);
  }

  public GameRules rules() {
    return rules;
  }

  /** The number of completed ticks. */
  public long tick() {
    return tick;
  }

  /** Players the world can hold: a position list must fit in one snapshot. */
  public static int maxPlayers() {
    return Limits.MAX_POSITIONS;
  }

  public boolean hasPlayer(Ed25519PublicKey player) {
    return positions.containsKey(player);
  }

  public int playerCount() {
    return positions.size();
  }

  /**
   * Places {@code player} at a random point of the world, drawn from the seeded random; a player
   * already in the world keeps its position (it never respawns, so it cannot teleport by
   * reconnecting).
   *
   * @return the player's position
   * @throws IllegalStateException when the world already holds {@link #maxPlayers()} players
   */
  public Vec2 join(Ed25519PublicKey player) {
    Vec2 known = positions.get(requireNonNull(player, "player"));
    if (known != null) {
      return known;
    }
    if (positions.size() >= maxPlayers()) {
      throw new IllegalStateException("the world holds " + maxPlayers() + " players already");
    }
    Bounds b = rules.bounds();
    int x = (int) random.nextLong(b.minX(), (long) b.maxX() + 1);
    int y = (int) random.nextLong(b.minY(), (long) b.maxY() + 1);
    Vec2 spawn = new Vec2(x, y);
    positions.put(player, spawn);
    return spawn;
  }

  /** Adds {@code move} to the player's displacement of the current tick (saturating). */
  public void move(Ed25519PublicKey player, Vec2 move) {
    if (!positions.containsKey(player)) {
      throw new IllegalArgumentException("not in the world: " + player);
    }
    pending.merge(player, requireNonNull(move, "move"), Vec2::plus);
  }

  /** Completes the current tick: applies every player's clamped displacement. */
  public void step() {
    for (Map.Entry<Ed25519PublicKey, Vec2> e : pending.entrySet()) {
      positions.computeIfPresent(e.getKey(), (k, p) -> advance(p, e.getValue()));
    }
    pending.clear();
    tick++;
  }

  /** Where {@code position} goes with the requested {@code displacement} under these rules. */
  public Vec2 advance(Vec2 position, Vec2 displacement) {
    return rules.bounds().clamp(position.plus(clamp(displacement, maxStep)));
  }

  /**
   * {@code displacement} clamped to length {@code m} by the exact integer rule of protocol.md 10.3:
   * unchanged when {@code dx² + dy² <= m²}, else each component times {@code m / c} rounded towards
   * zero, with c the smallest integer whose square is at least {@code dx² + dy²}.
   */
  public static Vec2 clamp(Vec2 displacement, int m) {
    return displacement.clampLength(m);
  }

  public Optional<Vec2> position(Ed25519PublicKey player) {
    return Optional.ofNullable(positions.get(player));
  }

  /** Every player's position, ascending by key. */
  public List<PlayerPosition> positions() {
    List<PlayerPosition> out = new ArrayList<>(positions.size());
    for (Map.Entry<Ed25519PublicKey, Vec2> e : positions.entrySet()) {
      out.add(new PlayerPosition(e.getKey(), e.getValue()));
    }
    return out;
  }
}
