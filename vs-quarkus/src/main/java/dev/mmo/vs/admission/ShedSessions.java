package dev.mmo.vs.admission;

/**
 * Admission's decision to shed: close {@code percent} of the sessions this replica carries (at
 * least one, newest first) with SERVICE_UNAVAILABLE, because {@code why}.
 */
public record ShedSessions(int percent, String why) {
  public ShedSessions {
    if (percent < 1 || percent > 100) {
      throw new IllegalArgumentException("percent must be within 1..100: " + percent);
    }
  }
}
