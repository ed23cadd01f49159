package dev.mmo.vs.join;

import dev.mmo.protocol.Reason;
import dev.mmo.vs.config.VsConfig;
import dev.mmo.vs.gs.RejectedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The plausibility of a game server's clock (docs/protocol.md 8.1 step 6, 8.3 step 4 and 9.1 step
 * 6): {@code |gs_time_ms - VS time|} within {@code mmo.vs.join.max-clock-skew}.
 */
@ApplicationScoped
public class ClockSkewCheck {
  private final Clock clock;
  private final long maxSkewMs;

  public ClockSkewCheck(Clock clock, VsConfig config) {
    this.clock = clock;
    this.maxSkewMs = config.join().maxClockSkew().toMillis();
  }

  /**
   * @throws RejectedException {@link Reason#CLOCK_SKEW} when {@code gsTimeMs} is too far off
   */
  public void check(long gsTimeMs) {
    long skew = Math.abs(gsTimeMs - clock.millis());
    if (skew > maxSkewMs) {
      throw RejectedException.of(Reason.CLOCK_SKEW, "gs clock off by " + skew + " ms");
    }
  }

  /** Whether {@code gsTimeMs} is within the bound of VS time {@code nowMs}. */
  public boolean plausible(long gsTimeMs, long nowMs) {
    return Math.abs(gsTimeMs - nowMs) <= maxSkewMs;
  }

  public long maxSkewMs() {
    return maxSkewMs;
  }
}
