package dev.mmo.protocol.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Vec2Test {
  @Test
  void clampLength_randomVectorsAndLimits_neverLongerThanLimitAndCloseToIt() {
    SplittableRandom random = new SplittableRandom(20261124);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      Vec2 v = new Vec2(random.nextInt(), random.nextInt());
      int max = random.nextInt(0, Integer.MAX_VALUE);
      Vec2 c = v.clampLength(max);
      if (c.lengthSquared() > (long) max * max) {
        failures.add(v + " clamped to " + max + " gave " + c);
      }
      if (v.lengthSquared() <= (long) max * max && !c.equals(v)) {
        failures.add(v + " within " + max + " was changed to " + c);
      }
      // Same direction: components keep their sign and never grow.
      if (Long.signum(c.x()) * Long.signum(v.x()) < 0
          || Math.abs((long) c.x()) > Math.abs((long) v.x())) {
        failures.add(v + " -> " + c + " changed x direction or grew");
      }
      // Truncation loses at most about 2 units of length.
      double lost =
          Math.min(Math.sqrt((double) v.lengthSquared()), max)
              - Math.sqrt((double) c.lengthSquared());
      if (lost > 2.5) {
        failures.add(v + " -> " + c + " lost " + lost + " units");
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void clampLength_extremes_handledExactly() {
    Vec2 min = new Vec2(Integer.MIN_VALUE, Integer.MIN_VALUE);
    assertThat(min.lengthSquared()).isEqualTo(Long.MAX_VALUE);
    Vec2 clamped = min.clampLength(Integer.MAX_VALUE);
    assertThat(clamped.lengthSquared())
        .isLessThanOrEqualTo((long) Integer.MAX_VALUE * Integer.MAX_VALUE);
    assertThat(new Vec2(Integer.MIN_VALUE, 0).clampLength(Integer.MAX_VALUE))
        .isEqualTo(new Vec2(-Integer.MAX_VALUE, 0));
    assertThat(new Vec2(3, 4).clampLength(5)).isEqualTo(new Vec2(3, 4));
    assertThat(new Vec2(6, 8).clampLength(5)).isEqualTo(new Vec2(3, 4));
    assertThat(new Vec2(7, 0).clampLength(0)).isEqualTo(Vec2.ZERO);
  }

  /**
   * dx = dy = -2^31 is the one displacement whose dx² + dy² (2^63) does not fit a long. The sum
   * saturates at 2^63 - 1, which has the same ceiling square root as 2^63 (3,037,000,499² < 2^63 -
   * 1 < 2^63 < 3,037,000,500²), so c and the result are those of the exact rule of protocol.md
   * 10.3.
   */
  @Test
  void clampLength_bothComponentsMinValue_exactRule() {
    Vec2 min = new Vec2(Integer.MIN_VALUE, Integer.MIN_VALUE);
    assertThat(Vec2.ceilSqrt(min.lengthSquared())).isEqualTo(3_037_000_500L);
    // trunc(-2^31 × m / 3,037,000,500)
    assertThat(min.clampLength(Integer.MAX_VALUE))
        .isEqualTo(new Vec2(-1_518_500_249, -1_518_500_249));
    assertThat(min.clampLength(250)).isEqualTo(new Vec2(-176, -176));
    assertThat(min.clampLength(0)).isEqualTo(Vec2.ZERO);
  }

  @Test
  void sqrt_aroundEveryPerfectSquareBoundary_exact() {
    long[] roots = {0, 1, 2, 3, 1000, 94906265L, 3037000499L};
    for (long r : roots) {
      long sq = r * r;
      assertThat(Vec2.floorSqrt(sq)).isEqualTo(r);
      assertThat(Vec2.ceilSqrt(sq)).isEqualTo(r);
      if (r > 1) { // 0 and 1 have perfect squares as neighbours
        assertThat(Vec2.floorSqrt(sq - 1)).isEqualTo(r - 1);
        assertThat(Vec2.ceilSqrt(sq - 1)).isEqualTo(r);
        assertThat(Vec2.floorSqrt(sq + 1)).isEqualTo(r);
        assertThat(Vec2.ceilSqrt(sq + 1)).isEqualTo(r + 1);
      }
    }
    assertThat(Vec2.floorSqrt(Long.MAX_VALUE)).isEqualTo(3037000499L);
    assertThat(Vec2.ceilSqrt(Long.MAX_VALUE)).isEqualTo(3037000500L);
  }

  @Test
  void plusAndMinus_saturateInsteadOfWrapping() {
    assertThat(new Vec2(Integer.MAX_VALUE, 0).plus(new Vec2(1, 0)))
        .isEqualTo(new Vec2(Integer.MAX_VALUE, 0));
    assertThat(new Vec2(Integer.MIN_VALUE, 0).minus(new Vec2(1, 0)))
        .isEqualTo(new Vec2(Integer.MIN_VALUE, 0));
  }

  @Test
  void bounds_clampAndContains() {
    Bounds b = new Bounds(-10, -10, 10, 10);
    assertThat(b.contains(new Vec2(10, -10))).isTrue();
    assertThat(b.contains(new Vec2(11, 0))).isFalse();
    assertThat(b.clamp(new Vec2(50, -50))).isEqualTo(new Vec2(10, -10));
  }
}
