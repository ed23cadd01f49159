package dev.mmo.protocol.world;

/**
 * A 2-D vector of fixed-point world units: {@value #UNITS_PER_METRE} units make one metre. Integer
 * arithmetic only, so every party computes the same result on every machine.
 */
public record Vec2(int x, int y) {
  public static final int UNITS_PER_METRE = 1000;
  public static final Vec2 ZERO = new Vec2(0, 0);

  /** Squared length, exact except for (MIN_VALUE, MIN_VALUE), which saturates at Long.MAX_VALUE. */
  public long lengthSquared() {
    long xx = (long) x * x;
    long yy = (long) y * y;
    long sum = xx + yy;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  /**
   * This vector if its length is at most {@code maxLength}, else the vector scaled towards zero so
   * that its length is at most {@code maxLength}. Each component is rounded towards zero, so the
   * result never exceeds the limit.
   *
   * @param maxLength 0..2^31-1
   */
  public Vec2 clampLength(int maxLength) {
    if (maxLength < 0) {
      throw new IllegalArgumentException("negative maxLength: " + maxLength);
    }
    long len2 = lengthSquared();
    if (len2 <= (long) maxLength * maxLength) {
      return this;
    }
    long len = ceilSqrt(len2);
    // |x| <= 2^31 and maxLength < 2^31, so the products fit in a long; len >= |x|, |y|.
    return new Vec2((int) ((long) x * maxLength / len), (int) ((long) y * maxLength / len));
  }

  /** Component-wise sum, saturating at the int range. */
  public Vec2 plus(Vec2 other) {
    return new Vec2(saturate((long) x + other.x), saturate((long) y + other.y));
  }

  /** Component-wise difference, saturating at the int range. */
  public Vec2 minus(Vec2 other) {
    return new Vec2(saturate((long) x - other.x), saturate((long) y - other.y));
  }

  /** The largest r with r * r <= n, for n >= 0. */
  static long floorSqrt(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative: " + n);
    }
    long r = (long) Math.sqrt((double) n);
    // The double estimate can be off by one either way; compare by division to avoid overflow.
    while (r > 0 && r > n / r) {
      r--;
    }
    while (r + 1 <= n / (r + 1)) {
      r++;
    }
    return r;
  }

  /** The smallest r with r * r >= n, for n >= 0. */
  static long ceilSqrt(long n) {
    long f = floorSqrt(n);
    return f * f == n ? f : f + 1;
  }

  private static int saturate(long v) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }
}
