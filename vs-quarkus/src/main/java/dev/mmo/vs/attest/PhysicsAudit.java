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
  private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);

  private PhysicsAudit() {}

  /**
   * The settings of the time check (step 5).
   *
   * @param toleranceMs how far ahead of the real time since the JoinAccept a tick may be (5b)
   * @param driftPpm the session clock's allowance for a fast game server clock, in parts per
   *     million of the session's age (5b)
   * @param catchUpMs how much more simulated time than real time may pass between two notarized
   *     digests (5c)
   */
  public record TickClock(long toleranceMs, long driftPpm, long catchUpMs) {}

  /**
   * The first violation in {@code digest}, or empty when it may be notarized.
   *
   * @param nowMs the VS time the digest arrived at
   * @param previous the last notarized position of every player of the digest seen before
   */
  public static Optional<Finding> audit(
      TranscriptDigest digest,
      NotarizedBaseline baseline,
      long nowMs,
      TickClock clock,
      GameRules rules,
      Map<Ed25519PublicKey, NotarizedPosition> previous) {
    Optional<Finding> time = time(digest, baseline, nowMs, clock, rules);
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
   * Step 5, a game server cannot claim more simulated time than really passed:
   *
   * <ul>
   *   <li>5a: the tick is after the baseline's;
   *   <li>5b, the session clock: {@code tick × 1000 ≤ (age + ⌊age × drift_ppm / 10⁶⌋ + tolerance) ×
   *       tick_rate_hz} with {@code age = t_now − t_start}. It is judged from the JoinAccept's own
   *       time, which no queue delayed, and bounds how far ahead of real time the game server ever
   *       gets, however long the session;
   *   <li>5c, catch-up: {@code Δtick × 1000 ≤ (t_now − t_base + catch_up) × tick_rate_hz}. A game
   *       server that fell behind catches up by at most {@code catch_up} between two digests.
   * </ul>
   */
  private static Optional<Finding> time(
      TranscriptDigest digest,
      NotarizedBaseline baseline,
      long nowMs,
      TickClock clock,
      GameRules rules) {
    BigInteger rate = BigInteger.valueOf(rules.tickRateHz());
    BigInteger ticks =
        BigInteger.valueOf(digest.tick()).subtract(BigInteger.valueOf(baseline.tick()));
    if (ticks.signum() <= 0) {
      Map<String, Object> evidence = timeEvidence("tick_order", digest, baseline, nowMs, rules);
      return Optional.of(
          new Finding(
              Reason.CLOCK_SKEW,
              "tick " + digest.tick() + " not after the baseline tick " + baseline.tick(),
              evidence));
    }
    BigInteger age =
        BigInteger.valueOf(nowMs).subtract(BigInteger.valueOf(baseline.sessionStartMs()));
    BigInteger drift =
        age.signum() > 0
            ? age.multiply(BigInteger.valueOf(clock.driftPpm())).divide(MILLION)
            : BigInteger.ZERO;
    BigInteger sessionClaimed = BigInteger.valueOf(digest.tick()).multiply(THOUSAND);
    BigInteger sessionAllowed =
        age.add(drift).add(BigInteger.valueOf(clock.toleranceMs())).multiply(rate);
    if (sessionClaimed.compareTo(sessionAllowed) > 0) {
      Map<String, Object> evidence = timeEvidence("session_clock", digest, baseline, nowMs, rules);
      evidence.put("session_start_ms", baseline.sessionStartMs());
      evidence.put("tolerance_ms", clock.toleranceMs());
      evidence.put("drift_ppm", clock.driftPpm());
      evidence.put("ticks_times_1000", sessionClaimed.toString());
      evidence.put("allowed_ticks_times_1000", sessionAllowed.toString());
      return Optional.of(
          new Finding(
              Reason.CLOCK_SKEW,
              "tick " + digest.tick() + " claimed " + age + " ms after the session began",
              evidence));
    }
    BigInteger elapsedMs =
        BigInteger.valueOf(nowMs).subtract(BigInteger.valueOf(baseline.vsTimeMs()));
    BigInteger claimed = ticks.multiply(THOUSAND);
    BigInteger allowed = elapsedMs.add(BigInteger.valueOf(clock.catchUpMs())).multiply(rate);
    if (claimed.compareTo(allowed) > 0) {
      Map<String, Object> evidence = timeEvidence("tick_catch_up", digest, baseline, nowMs, rules);
      evidence.put("catch_up_ms", clock.catchUpMs());
      evidence.put("ticks_times_1000", claimed.toString());
      evidence.put("allowed_ticks_times_1000", allowed.toString());
      return Optional.of(
          new Finding(
              Reason.CLOCK_SKEW,
              ticks + " ticks claimed in " + elapsedMs + " ms since the last notarized digest",
              evidence));
    }
    return Optional.empty();
  }

  private static Map<String, Object> timeEvidence(
      String check,
      TranscriptDigest digest,
      NotarizedBaseline baseline,
      long nowMs,
      GameRules rules) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("check", check);
    evidence.put("tick", digest.tick());
    evidence.put("baseline_tick", baseline.tick());
    evidence.put("baseline_gs_counter", baseline.gsCounter());
    evidence.put("baseline_digest_hash", baseline.digestHashHex());
    evidence.put("baseline_vs_time_ms", baseline.vsTimeMs());
    evidence.put("vs_time_ms", nowMs);
    evidence.put("tick_rate_hz", rules.tickRateHz());
    return evidence;
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
