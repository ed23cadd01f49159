package dev.mmo.vs.admin.limits;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tokens (by the hash {@link AdminLimits} keys them by) seen in a request that passed
 * authentication, most recently used kept, at most {@code max}. Thread-safe.
 */
final class KnownTokens {
  private final Map<String, Boolean> tokens;

  KnownTokens(int max) {
    this.tokens =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > max;
          }
        };
  }

  synchronized boolean contains(String token) {
    return tokens.get(token) != null;
  }

  synchronized void add(String token) {
    tokens.put(token, Boolean.TRUE);
  }

  synchronized void forget(String token) {
    tokens.remove(token);
  }
}
