package dev.mmo.protocol.wire;

import java.util.List;

/** Range checks shared by the wire records' constructors. */
final class Checks {
  private Checks() {}

  static long nonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be non-negative: " + value);
    }
    return value;
  }

  static long positive(long value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  static <T> List<T> sizeBetween(List<T> list, int min, int max, String name) {
    List<T> copy = List.copyOf(list);
    if (copy.size() < min || copy.size() > max) {
      throw new IllegalArgumentException(
          name + " must hold " + min + ".." + max + " items, has " + copy.size());
    }
    return copy;
  }
}
