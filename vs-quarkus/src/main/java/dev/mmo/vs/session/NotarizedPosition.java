package dev.mmo.vs.session;

import dev.mmo.protocol.world.Vec2;

/**
 * A player's last notarized position: where the speed audit of its next position starts from.
 *
 * @param tick the tick of the digest that notarized it
 * @param gsCounter that digest's gs_counter
 */
public record NotarizedPosition(Vec2 position, long tick, long gsCounter) {
  /** The Redis field value: {@code x:y:tick:gs_counter}. */
  String encode() {
    return position.x() + ":" + position.y() + ":" + tick + ":" + gsCounter;
  }

  static NotarizedPosition decode(String value) {
    String[] parts = value.split(":", -1);
    if (parts.length != 4) {
      throw new IllegalStateException("notarized position is not x:y:tick:gs_counter: " + value);
    }
    return new NotarizedPosition(
        new Vec2(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])),
        Long.parseLong(parts[2]),
        Long.parseLong(parts[3]));
  }
}
