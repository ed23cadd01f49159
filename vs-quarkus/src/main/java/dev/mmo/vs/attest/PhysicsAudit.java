package dev.mmo.vs.attest;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.vs.session.NotarizedBaseline;
import dev.mmo.vs.session.NotarizedPosition;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Steps 5 to 7 of a TranscriptDigest's checks (docs/protocol.md section 9.2): time, bounds and
 * speed, in exact integer arithmetic so that an auditor recomputes the same verdict from the
 * evidence. Pure: the caller reads the baseline and the players' last notarized positions.
 */
public final class PhysicsAudit {
  private static final BigInteger THOUSAND = BigInteger.valueOf(1000);

  private PhysicsAudit() {}

  /**
   * The first violation in {@code digest}, or empty when it may be notarized.
   *
   * @param nowMs the VS time the digest arrived at
   * @param toleranceMs the clock tolerance of the time check
   * @param previous the last notarized position of every player of the digest seen before
   */
  public static Optional<Finding> audit(
      TranscriptDigest digest,
      NotarizedBaseline baseline,
      long nowMs,
      long toleranceMs,
      GameRules rules,
      Map<Ed25519PublicKey, NotarizedPosition> previous) {
    Optional<Finding> time = time(digest, baseline, nowMs, toleranceMs, rules);
    if (time.isPresent()) {
      return time;
    }
    for (PlayerPosition p : digest.positions()) {
      if (!rules.bounds().contains(p.position())) {
        return Optional.of(outOfBounds(digest, p, rules.bounds()));
      }
    }
    for (PlayerPosition p : digest.positions()) {
      NotarizedPosition from = previous.get(p.player());
      if (from != null) {
        Optional<Finding> speed = speed(digest, p, from, rules);
        if (speed.isPresent()) {
          return speed;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Step 5: {@code Δtick > 0} and {@code Δtick × 1000 ≤ (t_now − t_base + tolerance) ×
   * tick_rate_hz}: a game server cannot claim more simulated time than really passed.
   */
  private static Optional<Finding> time(
      TranscriptDigest digest,
      NotarizedBaseline baseline,
      long nowMs,
      long toleranceMs,
      GameRules rules) {
    BigInteger ticks =
        BigInteger.valueOf(digest.tick()).subtract(BigInteger.valueOf(baseline.tick()));
    BigInteger elapsedMs =
        BigInteger.valueOf(nowMs).subtract(BigInteger.valueOf(baseline.vsTimeMs()));
    BigInteger claimed = ticks.multiply(THOUSAND);
    BigInteger allowed =
        elapsedMs
            .add(BigInteger.valueOf(toleranceMs))
            .multiply(BigInteger.valueOf(rules.tickRateHz()));
    if (ticks.signum() > 0 && claimed.compareTo(allowed) <= 0) {
      return Optional.empty();
    }
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("check", "tick_time");
    evidence.put("tick", digest.tick());
    evidence.put("baseline_tick", baseline.tick());
    evidence.put("baseline_gs_counter", baseline.gsCounter());
    evidence.put("baseline_digest_hash", baseline.digestHashHex());
    evidence.put("baseline_vs_time_ms", baseline.vsTimeMs());
    evidence.put("vs_time_ms", nowMs);
    evidence.put("tolerance_ms", toleranceMs);
    evidence.put("tick_rate_hz", rules.tickRateHz());
    evidence.put("ticks_times_1000", claimed.toString());
    evidence.put("allowed_ticks_times_1000", allowed.toString());
    String detail =
        ticks.signum() <= 0
            ? "tick " + digest.tick() + " not after the baseline tick " + baseline.tick()
            : ticks + " ticks claimed in " + elapsedMs + " ms";
    return Optional.of(new Finding(Reason.CLOCK_SKEW, detail, evidence));
  }

  private static Finding outOfBounds(TranscriptDigest digest, PlayerPosition p, Bounds bounds) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("check", "bounds");
    evidence.put("player", p.player().hex());
    evidence.put(
        "position",
        position(p.position().x(), p.position().y(), digest.tick(), digest.gsCounter()));
    evidence.put(
        "bounds",
        Map.of(
            "min_x",
            bounds.minX(),
            "min_y",
            bounds.minY(),
            "max_x",
            bounds.maxX(),
            "max_y",
            bounds.maxY()));
    return new Finding(
        Reason.BOUNDS_VIOLATION, "player " + p.player().hex() + " outside the world", evidence);
  }

  /**
   * Step 7: {@code dx² + dy² ≤ (Δt × floor(max_speed / tick_rate_hz))²}, exactly: the squares
   * exceed 64 bits.
   */
  private static Optional<Finding> speed(
      TranscriptDigest digest, PlayerPosition p, NotarizedPosition from, GameRules rules) {
    BigInteger ticks = BigInteger.valueOf(digest.tick()).subtract(BigInteger.valueOf(from.tick()));
    BigInteger dx = BigInteger.valueOf((long) p.position().x() - from.position().x());
    BigInteger dy = BigInteger.valueOf((long) p.position().y() - from.position().y());
    BigInteger distanceSquared = dx.multiply(dx).add(dy.multiply(dy));
    BigInteger reach = ticks.multiply(BigInteger.valueOf(rules.maxStepPerTick()));
    BigInteger allowedSquared = reach.multiply(reach);
    if (ticks.signum() > 0 && distanceSquared.compareTo(allowedSquared) <= 0) {
      return Optional.empty();
    }
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("check", "speed");
    evidence.put("player", p.player().hex());
    evidence.put(
        "from", position(from.position().x(), from.position().y(), from.tick(), from.gsCounter()));
    evidence.put(
        "to", position(p.position().x(), p.position().y(), digest.tick(), digest.gsCounter()));
    evidence.put("ticks", ticks.toString());
    evidence.put("max_step_per_tick", rules.maxStepPerTick());
    evidence.put("distance_squared", distanceSquared.toString());
    evidence.put("allowed_distance_squared", allowedSquared.toString());
    evidence.put("speed_limit_units_per_s", rules.maxSpeed());
    evidence.put("tick_rate_hz", rules.tickRateHz());
    if (ticks.signum() > 0) {
      // For people reading the evidence; the verdict above is the exact comparison.
      double distance = Math.sqrt(distanceSquared.doubleValue());
      evidence.put(
          "computed_speed_units_per_s", distance * rules.tickRateHz() / ticks.doubleValue());
    }
    return Optional.of(
        new Finding(
            Reason.SPEED_VIOLATION,
            "player "
                + p.player().hex()
                + " moved "
                + distanceSquared
                + " units² in "
                + ticks
                + " ticks",
            evidence));
  }

  private static Map<String, Object> position(int x, int y, long tick, long gsCounter) {
    Map<String, Object> at = new LinkedHashMap<>();
    at.put("x", x);
    at.put("y", y);
    at.put("tick", tick);
    at.put("gs_counter", gsCounter);
    return at;
  }
}
