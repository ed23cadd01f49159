package dev.mmo.protocol.world;

/** The axis-aligned rectangle players must stay in, inclusive on every side. */
public record Bounds(int minX, int minY, int maxX, int maxY) {
  public Bounds {
    if (minX >= maxX || minY >= maxY) {
      throw new IllegalArgumentException(
          "empty bounds: " + minX + ".." + maxX + " x " + minY + ".." + maxY);
    }
  }

  public boolean contains(Vec2 p) {
    return p.x() >= minX && p.x() <= maxX && p.y() >= minY && p.y() <= maxY;
  }

  /** The nearest point of the rectangle to {@code p}. */
  public Vec2 clamp(Vec2 p) {
    return new Vec2(Math.max(minX, Math.min(maxX, p.x())), Math.max(minY, Math.min(maxY, p.y())));
  }
}
