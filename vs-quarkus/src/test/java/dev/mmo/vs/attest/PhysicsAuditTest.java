package dev.mmo.vs.attest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import dev.mmo.vs.session.NotarizedBaseline;
import dev.mmo.vs.session.NotarizedPosition;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The time, bounds and speed checks of docs/protocol.md section 9.2, on their edges. */
class PhysicsAuditTest {
  /** 20 ticks/s at 5,000 units/s: one tick moves at most 250 units. */
  private static final GameRules RULES =
      new GameRules(20, 5_000, new Bounds(-100_000, -100_000, 100_000, 100_000));

  /** A world as wide as the wire allows, for the overflow cases. */
  private static final GameRules HUGE =
      new GameRules(
          1,
          Integer.MAX_VALUE,
          new Bounds(Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));

  private static final SessionId SESSION = SessionId.fromHex("00112233445566778899aabbccddeeff");
  private static final Ed25519PublicKey A = key(1);
  private static final Ed25519PublicKey B = key(2);

  /**
   * Baseline: tick 100 notarized at VS time 10,000 ms, in a session whose JoinAccept (tick 0) was
   * issued at 5,000 ms: at 20 ticks/s, exactly on time.
   */
  private static final NotarizedBaseline BASE = new NotarizedBaseline(7, 100, 10_000, "ab", 5_000);

  /** Every time bound at zero, for the bounds and speed cases. */
  private static final PhysicsAudit.TickClock STRICT = new PhysicsAudit.TickClock(0, 0, 0);

  /** A session clock too loose to matter, for the catch-up cases. */
  private static PhysicsAudit.TickClock catchUp(long ms) {
    return new PhysicsAudit.TickClock(60_000, 0, ms);
  }

  /** A catch-up bound too loose to matter, for the session clock cases. */
  private static PhysicsAudit.TickClock sessionClock(long toleranceMs, long driftPpm) {
    return new PhysicsAudit.TickClock(toleranceMs, driftPpm, 60_000);
  }

  @Test
  void catchUp_ticksExactlyAsManyAsElapsedPlusCatchUp_pass() {
    // 20 ticks/s: 1,000 ms since the baseline + 500 ms catch-up allow 30 ticks.
    assertThat(audit(digest(130), 11_000, catchUp(500))).isEmpty();
  }

  @Test
  void catchUp_oneTickMoreThanAllowed_clockSkew() {
    Optional<Finding> f = audit(digest(131), 11_000, catchUp(500));
    assertThat(f).map(Finding::reason).contains(Reason.CLOCK_SKEW);
    assertThat(f.get().evidence())
        .containsEntry("check", "tick_catch_up")
        .containsEntry("catch_up_ms", 500L)
        .containsEntry("ticks_times_1000", "31000")
        .containsEntry("allowed_ticks_times_1000", "30000");
  }

  @Test
  void sessionClock_tickExactlyAsFarAheadAsTheTolerance_pass() {
    // 6,000 ms since the JoinAccept + 500 ms tolerance allow tick 130.
    assertThat(audit(digest(130), 11_000, sessionClock(500, 0))).isEmpty();
  }

  @Test
  void sessionClock_oneTickFurther_clockSkew() {
    Optional<Finding> f = audit(digest(131), 11_000, sessionClock(500, 0));
    assertThat(f).map(Finding::reason).contains(Reason.CLOCK_SKEW);
    assertThat(f.get().evidence())
        .containsEntry("check", "session_clock")
        .containsEntry("session_start_ms", 5_000L)
        .containsEntry("ticks_times_1000", "131000")
        .containsEntry("allowed_ticks_times_1000", "130000");
  }

  @Test
  void sessionClock_driftAllowanceGrowsWithTheSessionsAge() {
    // 1,000,000 ms old at 1,000 ppm: 1,000 ms more, so 20 more ticks than real time, not 21.
    NotarizedBaseline old = new NotarizedBaseline(7, 19_990, 999_500, "ab", 0);
    PhysicsAudit.TickClock clock = sessionClock(0, 1_000);
    assertThat(PhysicsAudit.audit(digest(20_020), old, 1_000_000, clock, RULES, Map.of()))
        .isEmpty();
    assertThat(PhysicsAudit.audit(digest(20_021), old, 1_000_000, clock, RULES, Map.of()))
        .map(Finding::reason)
        .contains(Reason.CLOCK_SKEW);
  }

  @Test
  void sessionClock_aGameServerFastByHalf_isCaughtThoughEverySpanIsWithinCatchUp() {
    // 30 ticks a second where 20 are due: the baseline was already 500 ms ahead; one second
    // later the game server is a full second ahead, though 30 ticks in 1,000 ms is within catch-up.
    NotarizedBaseline ahead = new NotarizedBaseline(8, 130, 11_000, "cd", 5_000);
    Optional<Finding> f =
        PhysicsAudit.audit(
            digest(160), ahead, 12_000, new PhysicsAudit.TickClock(500, 0, 2_000), RULES, Map.of());
    assertThat(f).map(Finding::reason).contains(Reason.CLOCK_SKEW);
    assertThat(f.get().evidence()).containsEntry("check", "session_clock");
  }

  @Test
  void time_baselineStampedLateByABusyReplica_honestDigestPasses() {
    // Tick 120 was due at 11,000 ms but read at 11,600; tick 140 is read on time at 12,000. The
    // span looks like 20 ticks in 400 ms; the session clock and the default catch-up accept it.
    NotarizedBaseline late = new NotarizedBaseline(8, 120, 11_600, "cd", 5_000);
    assertThat(
            PhysicsAudit.audit(
                digest(140),
                late,
                12_000,
                new PhysicsAudit.TickClock(500, 1_000, 2_000),
                RULES,
                Map.of()))
        .isEmpty();
  }

  @Test
  void time_tickNotAfterTheBaseline_clockSkew() {
    Optional<Finding> f = audit(digest(100), 20_000, sessionClock(500, 0));
    assertThat(f).map(Finding::reason).contains(Reason.CLOCK_SKEW);
    assertThat(f.get().evidence()).containsEntry("check", "tick_order");
  }

  @Test
  void time_hugeTickDoesNotOverflow_clockSkew() {
    assertThat(audit(digest(Long.MAX_VALUE), 20_000, sessionClock(500, 1_000)))
        .map(Finding::reason)
        .contains(Reason.CLOCK_SKEW);
  }

  @Test
  void bounds_onTheEdgeInclusive_pass() {
    assertThat(audit(digest(101, at(A, 100_000, -100_000)), 11_000, Map.of())).isEmpty();
  }

  @Test
  void bounds_oneUnitOutside_boundsViolationNamingThePlayer() {
    Optional<Finding> f = audit(digest(101, at(A, 100_001, 0)), 11_000, Map.of());
    assertThat(f).map(Finding::reason).contains(Reason.BOUNDS_VIOLATION);
    assertThat(f.get().evidence()).containsEntry("player", A.hex());
  }

  @Test
  void speed_exactlyTheLimitDiagonally_pass() {
    // 2 ticks since the player's last position: 500 units, here (300, 400).
    Map<Ed25519PublicKey, NotarizedPosition> last = Map.of(A, notarized(0, 0, 100));
    assertThat(audit(digest(102, at(A, 300, 400)), 11_000, last)).isEmpty();
  }

  @Test
  void speed_oneUnitBeyond_speedViolationWithBothPositions() {
    Map<Ed25519PublicKey, NotarizedPosition> last = Map.of(A, notarized(0, 0, 100));
    Optional<Finding> f = audit(digest(102, at(A, 0, 501)), 11_000, last);
    assertThat(f).map(Finding::reason).contains(Reason.SPEED_VIOLATION);
    assertThat(f.get().evidence())
        .containsEntry("distance_squared", "251001")
        .containsEntry("allowed_distance_squared", "250000")
        .containsEntry("ticks", "2")
        .containsKeys("from", "to", "computed_speed_units_per_s");
  }

  @Test
  void speed_measuredFromThePlayersOwnLastTick_notTheBaseline() {
    // Last seen at tick 90, ten ticks before the baseline: 12 ticks allow 3,000 units.
    Map<Ed25519PublicKey, NotarizedPosition> last = Map.of(A, notarized(0, 0, 90));
    assertThat(audit(digest(102, at(A, 3_000, 0)), 11_000, last)).isEmpty();
    assertThat(audit(digest(102, at(A, 3_001, 0)), 11_000, last))
        .map(Finding::reason)
        .contains(Reason.SPEED_VIOLATION);
  }

  @Test
  void speed_playerSeenForTheFirstTime_mayBeAnywhereInside() {
    Map<Ed25519PublicKey, NotarizedPosition> last = Map.of(A, notarized(0, 0, 100));
    assertThat(audit(digest(101, at(A, 250, 0), at(B, 99_999, -99_999)), 11_000, last)).isEmpty();
  }

  @Test
  void speed_acrossTheWholeIntRange_exactBeyond64Bits() {
    // dx = dy = 2^32 - 1: the squares exceed a long; one tick allows 2^31 - 1 units.
    Map<Ed25519PublicKey, NotarizedPosition> last =
        Map.of(A, notarized(Integer.MIN_VALUE, Integer.MIN_VALUE, 100));
    NotarizedBaseline base = new NotarizedBaseline(7, 100, 0, "ab", -100_000);
    Optional<Finding> f =
        PhysicsAudit.audit(
            digest(101, at(A, Integer.MAX_VALUE, Integer.MAX_VALUE)),
            base,
            10_000,
            STRICT,
            HUGE,
            last);
    assertThat(f).map(Finding::reason).contains(Reason.SPEED_VIOLATION);
    assertThat(f.get().evidence()).containsEntry("distance_squared", "36893488130239234050");
  }

  private static Optional<Finding> audit(
      TranscriptDigest d, long nowMs, Map<Ed25519PublicKey, NotarizedPosition> last) {
    return PhysicsAudit.audit(d, BASE, nowMs, STRICT, RULES, last);
  }

  private static Optional<Finding> audit(
      TranscriptDigest d, long nowMs, PhysicsAudit.TickClock clock) {
    return PhysicsAudit.audit(d, BASE, nowMs, clock, RULES, Map.of());
  }

  private static TranscriptDigest digest(long tick, PlayerPosition... positions) {
    return new TranscriptDigest(SESSION, 8, tick, 11_000, Hash.ZERO, List.of(positions));
  }

  private static PlayerPosition at(Ed25519PublicKey player, int x, int y) {
    return new PlayerPosition(player, new Vec2(x, y));
  }

  private static NotarizedPosition notarized(int x, int y, long tick) {
    return new NotarizedPosition(new Vec2(x, y), tick, 6);
  }

  private static Ed25519PublicKey key(int fill) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) fill);
    return Ed25519PublicKey.of(bytes);
  }
}
