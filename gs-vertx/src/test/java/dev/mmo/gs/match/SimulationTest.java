package dev.mmo.gs.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.protocol.world.Vec2;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {
  // m = floor(5000 / 20) = 250 units a tick.
  private static final GameRules RULES =
      new GameRules(20, 5_000, new Bounds(-100_000, -100_000, 100_000, 100_000));
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void clamp_exactlyAtTheLimit_unchanged() {
    assertThat(Simulation.clamp(new Vec2(250, 0), 250)).isEqualTo(new Vec2(250, 0));
    assertThat(Simulation.clamp(new Vec2(150, -200), 250)).isEqualTo(new Vec2(150, -200));
    assertThat(Simulation.clamp(new Vec2(0, -250), 250)).isEqualTo(new Vec2(0, -250));
  }

  @Test
  void clamp_oneBeyondTheLimit_scaledDownTowardsZero() {
    assertThat(Simulation.clamp(new Vec2(251, 0), 250)).isEqualTo(new Vec2(250, 0));
    // 150² + 201² = 62,901 > 62,500; c = 251; (150·250/251, 201·250/251) truncated.
    assertThat(Simulation.clamp(new Vec2(150, 201), 250)).isEqualTo(new Vec2(149, 200));
    assertThat(Simulation.clamp(new Vec2(-150, -201), 250)).isEqualTo(new Vec2(-149, -200));
  }

  @Test
  void clamp_edgeVectors_matchTheExactRuleOfTheProtocol() {
    int[] values = {
      0,
      1,
      -1,
      249,
      250,
      251,
      -250,
      -251,
      176,
      177,
      1_000_000,
      -1_000_000,
      Integer.MAX_VALUE,
      Integer.MIN_VALUE,
      Integer.MAX_VALUE - 1,
      Integer.MIN_VALUE + 1
    };
    int[] limits = {0, 1, 250, 251, 46_340, Integer.MAX_VALUE};
    List<String> failures = new ArrayList<>();
    for (int m : limits) {
      for (int x : values) {
        for (int y : values) {
          Vec2 expected = reference(x, y, m);
          Vec2 actual = Simulation.clamp(new Vec2(x, y), m);
          if (!actual.equals(expected)) {
            failures.add("(" + x + "," + y + ") m=" + m + ": " + actual + " != " + expected);
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void step_movesOfOneTick_sumSaturatingAtTheI32Range() {
    Simulation sim = new Simulation(RULES, 1);
    Ed25519PublicKey a = key();
    Vec2 start = sim.join(a);
    sim.move(a, new Vec2(Integer.MAX_VALUE, 0));
    sim.move(a, new Vec2(Integer.MAX_VALUE, 0));
    // Saturated at MAX_VALUE, not wrapped to a negative number: the player moves +x by m.
    sim.move(a, new Vec2(0, Integer.MIN_VALUE));
    sim.move(a, new Vec2(0, Integer.MIN_VALUE));
    sim.step();
    // (MAX, MIN) has length² 2^62 + ... : c = ceil(sqrt(MAX² + MIN²)); both components scaled.
    Vec2 d = reference(Integer.MAX_VALUE, Integer.MIN_VALUE, 250);
    assertThat(sim.position(a)).contains(RULES.bounds().clamp(start.plus(d)));
    assertThat(d).isEqualTo(new Vec2(176, -176));
  }

  @Test
  void step_saturatedSumThenOpposite_isNotTheMathematicalSum() {
    Simulation sim = new Simulation(RULES, 2);
    Ed25519PublicKey a = key();
    Vec2 start = sim.join(a);
    sim.move(a, new Vec2(Integer.MAX_VALUE, 0));
    sim.move(a, new Vec2(Integer.MAX_VALUE, 0));
    sim.move(a, new Vec2(-Integer.MAX_VALUE, 0));
    sim.step();
    // MAX + MAX saturates at MAX, then - MAX gives 0: the player stays.
    assertThat(sim.position(a)).contains(start);
  }

  @Test
  void step_speedHack_clampedToTheLimitPerTick() {
    Simulation sim = new Simulation(RULES, 3);
    Ed25519PublicKey a = key();
    Vec2 start = sim.join(a);
    for (int i = 0; i < 10; i++) {
      sim.move(a, new Vec2(0, 100));
    }
    sim.step();
    Vec2 afterOne = RULES.bounds().clamp(start.plus(new Vec2(0, 250)));
    assertThat(sim.position(a)).contains(afterOne);
    assertThat(sim.tick()).isEqualTo(1);
  }

  @Test
  void step_beyondTheBounds_clampedOntoTheEdge() {
    GameRules small = new GameRules(20, 5_000, new Bounds(0, 0, 100, 100));
    Simulation sim = new Simulation(small, 4);
    Ed25519PublicKey a = key();
    Vec2 start = sim.join(a);
    sim.move(a, new Vec2(250, 0));
    sim.step();
    assertThat(sim.position(a)).contains(new Vec2(100, start.y()));
    sim.move(a, new Vec2(-250, -250));
    sim.step();
    // (-250,-250) clamps to (-176,-176); x 100-176 and y below 0 both clamp at 0 or stay inside.
    assertThat(sim.position(a)).contains(new Vec2(0, Math.max(0, start.y() - 176)));
  }

  @Test
  void join_sameSeed_sameSpawnsEverywhereInsideTheBounds() {
    Simulation one = new Simulation(RULES, 42);
    Simulation two = new Simulation(RULES, 42);
    for (int i = 0; i < 50; i++) {
      Ed25519PublicKey k = key();
      Vec2 spawn = one.join(k);
      assertThat(two.join(k)).isEqualTo(spawn);
      assertThat(RULES.bounds().contains(spawn)).isTrue();
    }
    assertThat(one.positions()).isEqualTo(two.positions());
  }

  @Test
  void join_knownPlayer_keepsItsPosition() {
    Simulation sim = new Simulation(RULES, 5);
    Ed25519PublicKey a = key();
    Vec2 spawn = sim.join(a);
    assertThat(sim.join(a)).isEqualTo(spawn);
    assertThat(sim.playerCount()).isEqualTo(1);
  }

  @Test
  void move_unknownPlayer_refused() {
    Simulation sim = new Simulation(RULES, 6);
    assertThatThrownBy(() -> sim.move(key(), new Vec2(1, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void positions_ascendingByKeyAsUnsignedBytes() {
    Simulation sim = new Simulation(RULES, 7);
    for (int i = 0; i < 20; i++) {
      sim.join(key());
    }
    List<Ed25519PublicKey> keys = new ArrayList<>();
    sim.positions().forEach(p -> keys.add(p.player()));
    assertThat(keys).isSorted();
  }

  /** protocol.md 10.3 in BigInteger arithmetic, written from the text, not from Vec2. */
  static Vec2 reference(int dx, int dy, int m) {
    BigInteger x = BigInteger.valueOf(dx);
    BigInteger y = BigInteger.valueOf(dy);
    BigInteger len2 = x.multiply(x).add(y.multiply(y));
    BigInteger max = BigInteger.valueOf(m);
    if (len2.compareTo(max.multiply(max)) <= 0) {
      return new Vec2(dx, dy);
    }
    BigInteger c = len2.sqrt();
    if (c.multiply(c).compareTo(len2) < 0) {
      c = c.add(BigInteger.ONE);
    }
    // BigInteger division truncates towards zero.
    return new Vec2(
        x.multiply(max).divide(c).intValueExact(), y.multiply(max).divide(c).intValueExact());
  }

  private static Ed25519PublicKey key() {
    return Ed25519KeyPair.generate(RANDOM).publicKey();
  }
}
