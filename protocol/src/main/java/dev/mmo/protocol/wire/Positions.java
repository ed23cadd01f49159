package dev.mmo.protocol.wire;

import dev.mmo.protocol.world.PlayerPosition;
import java.util.List;

/** The canonical order of a position list: strictly ascending player keys (unsigned bytes). */
final class Positions {
  private Positions() {}

  static List<PlayerPosition> sortedUnique(List<PlayerPosition> positions, int max) {
    List<PlayerPosition> copy = Checks.sizeBetween(positions, 0, max, "positions");
    for (int i = 1; i < copy.size(); i++) {
      if (copy.get(i - 1).player().compareTo(copy.get(i).player()) >= 0) {
        throw new IllegalArgumentException(
            "positions must be sorted by player key without duplicates");
      }
    }
    return copy;
  }
}
