package dev.mmo.vs.gs;

/**
 * Lets at most {@code perSecond} log lines through (bursts of {@code burst}) and counts the rest,
 * so a flood of refused frames cannot flood the log. Thread-safe.
 */
public final class LogLimiter {
  private final MessageRate rate;
  private long suppressed;

  public LogLimiter(int perSecond, int burst, long nowMs) {
    this.rate = new MessageRate(perSecond, burst, nowMs);
  }

  /**
   * Whether a line may be logged at {@code nowMs}: -1 when not; else how many lines were held back
   * since the last one that was logged.
   */
  public synchronized long tryLog(long nowMs) {
    if (!rate.tryTake(nowMs)) {
      suppressed++;
      return -1;
    }
    long held = suppressed;
    suppressed = 0;
    return held;
  }
}
