package dev.mmo.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading the maps and lists a YAML parser returns, without casts scattered everywhere. */
final class Tree {
  private Tree() {}

  /** The value at {@code path}, or null when any step is missing. */
  static Object at(Object root, String... path) {
    Object current = root;
    for (String step : path) {
      if (!(current instanceof Map)) {
        return null;
      }
      current = ((Map<?, ?>) current).get(step);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value, String what) {
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException(what + " is not a mapping: " + value);
    }
    return (Map<String, Object>) value;
  }

  /** A mapping, or an empty one when absent. */
  static Map<String, Object> mapOrEmpty(Object value) {
    return value == null ? Map.of() : map(value, "value");
  }

  static List<?> list(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List)) {
      throw new IllegalArgumentException("not a list: " + value);
    }
    return (List<?>) value;
  }

  /** A scalar as text, or "" when absent. */
  static String string(Object value) {
    return value == null ? "" : String.valueOf(value);
  }

  /** A string-to-string mapping (labels, selectors), or an empty one when absent. */
  static Map<String, String> stringMap(Object value) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : mapOrEmpty(value).entrySet()) {
      out.put(e.getKey(), string(e.getValue()));
    }
    return out;
  }
}
