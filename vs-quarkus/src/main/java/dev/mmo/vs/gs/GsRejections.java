package dev.mmo.vs.gs;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.vs.session.SessionLedger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The one place where a rejection on {@code /gs} is counted (one counter per reason), logged (at
 * most {@value #LOG_LINES_PER_SECOND} lines a second, the rest summed up) and, for a refused join
 * whose signature verified, recorded in PostgreSQL. Anything an unauthenticated peer can cause is
 * only counted, so a flood writes nothing. Peers only ever see the reason code.
 */
@ApplicationScoped
public class GsRejections {
  private static final Logger LOG = Logger.getLogger(GsRejections.class);
  private static final int LOG_LINES_PER_SECOND = 10;

  private final SessionLedger ledger;
  private final Clock clock;
  private final Map<Reason, Counter> byReason = new EnumMap<>(Reason.class);
  private final Counter admitted;
  private final LogLimiter logLimit;

  public GsRejections(SessionLedger ledger, Clock clock, MeterRegistry meters) {
    this.ledger = ledger;
    this.clock = clock;
    for (Reason reason : Reason.values()) {
      byReason.put(
          reason,
          Counter.builder("mmo.vs.gs.rejections")
              .description("frames and requests refused on /gs, by reason")
              .tag("reason", reason.name())
              .register(meters));
    }
    this.admitted =
        Counter.builder("mmo.vs.joins.admitted").description("sessions admitted").register(meters);
    this.logLimit = new LogLimiter(LOG_LINES_PER_SECOND, 2 * LOG_LINES_PER_SECOND, clock.millis());
  }

  void admitted() {
    admitted.increment();
  }

  /** Counts and logs {@code rejection} of a frame or request from {@code source}. */
  public void rejected(Rejection rejection, String source) {
    byReason.get(rejection.reason()).increment();
    log(source, rejection);
  }

  /**
   * As {@link #rejected}, and records the refused join of {@code gs}, whose signature verified (the
   * join rate per game server bounds these rows; refusals for that rate are only counted).
   */
  void refusedJoin(Rejection rejection, GsId gs, String source) {
    rejected(rejection, source);
    if (rejection.reason() == Reason.RATE_LIMITED) {
      return;
    }
    ledger
        .recordJoinRejection(gs.value(), rejection.reason(), source)
        .subscribe()
        .with(
            ok -> {}, f -> LOG.warnf("could not record refused join of %s: %s", gs, f.toString()));
  }

  private void log(String source, Rejection rejection) {
    long held = logLimit.tryLog(clock.millis());
    if (held == 0) {
      LOG.infof("refused on /gs from %s: %s", source, rejection.getMessage());
    } else if (held > 0) {
      LOG.infof(
          "refused on /gs from %s: %s (%d more refusals not logged)",
          source, rejection.getMessage(), held);
    }
  }
}
