package dev.mmo.vs.join;

import dev.mmo.vs.config.VsConfig;
import dev.mmo.vs.session.SessionLedger;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Keeps {@code join_rejections} to {@code mmo.vs.join.rejection-retention}: every purge interval,
 * older rows are deleted in batches. Every replica runs it; deleting twice is harmless.
 */
@ApplicationScoped
public class JoinRejectionRetention {
  private static final Logger LOG = Logger.getLogger(JoinRejectionRetention.class);

  /** Rows per DELETE, so one purge never holds a long transaction. */
  static final int BATCH = 10_000;

  /** Batches per purge; what is left waits for the next one. */
  private static final int MAX_BATCHES = 100;

  private final SessionLedger ledger;
  private final Vertx vertx;
  private final Clock clock;
  private final Duration retention;
  private final Duration interval;
  private final AtomicBoolean purging = new AtomicBoolean();
  private volatile long timer = -1;

  public JoinRejectionRetention(SessionLedger ledger, Vertx vertx, Clock clock, VsConfig config) {
    this.ledger = ledger;
    this.vertx = vertx;
    this.clock = clock;
    this.retention = config.join().rejectionRetention();
    this.interval = config.join().rejectionPurgeInterval();
  }

  void start(@Observes StartupEvent event) {
    timer =
        vertx.setPeriodic(
            Math.max(1, interval.toMillis()), id -> purge().subscribe().with(n -> {}, f -> {}));
  }

  @PreDestroy
  void stop() {
    vertx.cancelTimer(timer);
  }

  /** Deletes the refused joins older than the retention; returns how many. */
  public Uni<Integer> purge() {
    if (!purging.compareAndSet(false, true)) {
      return Uni.createFrom().item(0);
    }
    return purgeBatches(clock.instant().minus(retention), 0, 0)
        .invoke(
            n -> {
              if (n > 0) {
                LOG.infof("deleted %d refused joins older than %s", n, retention);
              }
            })
        .onFailure()
        .invoke(f -> LOG.warnf("could not delete old refused joins: %s", f.toString()))
        .onTermination()
        .invoke(() -> purging.set(false));
  }

  private Uni<Integer> purgeBatches(Instant cutoff, int batches, int deleted) {
    return ledger
        .purgeJoinRejections(cutoff, BATCH)
        .chain(
            n ->
                n < BATCH || batches + 1 >= MAX_BATCHES
                    ? Uni.createFrom().item(deleted + n)
                    : purgeBatches(cutoff, batches + 1, deleted + n));
  }
}
