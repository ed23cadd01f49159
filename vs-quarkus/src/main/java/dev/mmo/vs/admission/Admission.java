package dev.mmo.vs.admission;

import dev.mmo.vs.config.VsConfig;
import dev.mmo.vs.gs.MessageRate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Whether this replica takes new sessions. While it is behind with the sessions it already carries,
 * it refuses JoinRequests with SERVICE_UNAVAILABLE, before their signature is even checked: load
 * beyond its capacity then shows as refused joins, which game servers retry after a backoff (on
 * this replica or another), and not as running sessions falling behind until their connections are
 * cut. Resumes pass, their sessions being already carried, unless the replica sheds (below).
 *
 * <p>"Behind" is judged on windows of one second, on three figures (docs/benchmarks.md, "Admission
 * control"):
 *
 * <ul>
 *   <li>how long heartbeats and digests waited on their connection before their check began, p99
 *       ({@code mmo.vs.admission.max-frame-wait});
 *   <li>how late the event loops ran a probe scheduled every {@value #PROBE_MS} ms, largest ({@code
 *       mmo.vs.admission.max-event-loop-lag});
 *   <li>digest received to receipt released, p99 ({@code mmo.vs.admission.max-receipt-latency}).
 * </ul>
 *
 * One window over any limit closes admission; {@code mmo.vs.admission.reopen-after} calm windows in
 * a row open it again. While it is open, at most {@code mmo.vs.admission.max-joins-per-second}
 * joins go on to their checks: sessions arrive gradually enough for the figures to show the replica
 * filling up before it is past its capacity (a join costs far more than a second of a session).
 * Reopened, it starts at a tenth of that rate and adds a tenth with each calm window ({@link
 * AdmissionGate}).
 *
 * <p>Refusing joins does not help once more sessions are carried than the replica can check (they
 * got in before the figures showed it, or a failed replica's game servers resumed here). When
 * frames have waited over their limit for {@code mmo.vs.admission.shed-after} and the wait is not
 * falling, it sheds: each such window it fires {@link ShedSessions} for {@code
 * mmo.vs.admission.shed-percent} of its sessions, which the endpoint closes with
 * SERVICE_UNAVAILABLE, newest first, and it refuses resumes until admission reopens. Those game
 * servers resume on another replica, or, finding none, go silent and are revoked: fail closed for a
 * few, rather than every session here falling behind until its tickets run out.
 */
@ApplicationScoped
public class Admission {
  private static final Logger LOG = Logger.getLogger(Admission.class);
  static final long PROBE_MS = 100;
  private static final long WINDOW_MS = 1_000;

  private final Vertx vertx;
  private final AdmissionGate gate;
  private final LatencyWindow frameWait = new LatencyWindow();
  private final LatencyWindow eventLoopLag = new LatencyWindow();
  private final LatencyWindow receipts = new LatencyWindow();
  private final Counter refusedBehind;
  private final Counter refusedOverRate;
  private final Counter refusedResumes;
  private final Event<ShedSessions> shed;
  private final Clock clock;

  /** The joins-per-second bucket and its rate; replaced when the gate changes the rate. */
  private final Object joinRateLock = new Object();

  private MessageRate joinRate;
  private int joinsPerSecond;

  /** Why joins are refused; null while they are admitted. Written by the window timer only. */
  private volatile String closedBecause;

  /** Why resumes are refused (the replica sheds); null while they pass. Window timer only. */
  private volatile String sheddingBecause;

  private volatile AdmissionGate.Window last =
      new AdmissionGate.Window(
          LatencyWindow.Summary.EMPTY, LatencyWindow.Summary.EMPTY, LatencyWindow.Summary.EMPTY);
  private long windowTimer = -1;
  private volatile boolean stopped;

  public Admission(
      Vertx vertx, VsConfig config, MeterRegistry meters, Clock clock, Event<ShedSessions> shed) {
    this.vertx = vertx;
    this.clock = clock;
    this.shed = shed;
    VsConfig.Admission c = config.admission();
    this.gate =
        new AdmissionGate(
            new AdmissionGate.Limits(
                c.maxFrameWait().toMillis(),
                c.maxEventLoopLag().toMillis(),
                c.maxReceiptLatency().toMillis(),
                c.reopenAfter(),
                c.maxJoinsPerSecond(),
                windows(c.shedAfter()),
                c.shedPercent()));
    this.joinsPerSecond = gate.joinsPerSecond();
    this.joinRate = bucket(joinsPerSecond);
    Gauge.builder("mmo.vs.admission.open", this, a -> a.admitting() ? 1 : 0)
        .description("1 while this replica admits new sessions, 0 while it refuses joins")
        .register(meters);
    Gauge.builder("mmo.vs.admission.joins.per.second", this, Admission::joinsPerSecond)
        .description("joins a second that go on to their checks now (slow start after reopening)")
        .register(meters);
    Gauge.builder("mmo.vs.admission.frame.wait.p99", this, a -> a.last.frameWait().p99Ms())
        .description("last window: heartbeats and digests waiting for their check, p99")
        .baseUnit("milliseconds")
        .register(meters);
    Gauge.builder("mmo.vs.admission.event.loop.lag.max", this, a -> a.last.eventLoopLag().maxMs())
        .description("last window: the latest an event loop ran its probe")
        .baseUnit("milliseconds")
        .register(meters);
    Gauge.builder("mmo.vs.admission.receipt.p99", this, a -> a.last.receipts().p99Ms())
        .description("last window: digest received to receipt released, p99")
        .baseUnit("milliseconds")
        .register(meters);
    this.refusedBehind = refusedJoins(meters, "behind");
    this.refusedOverRate = refusedJoins(meters, "over-rate");
    this.refusedResumes =
        Counter.builder("mmo.vs.admission.refused.resumes")
            .description("resumes refused while the replica sheds sessions")
            .register(meters);
    Gauge.builder("mmo.vs.admission.shedding", this, a -> a.sheddingBecause == null ? 0 : 1)
        .description("1 while this replica sheds sessions and refuses resumes")
        .register(meters);
  }

  /** Whole windows in {@code d}, rounded up: 0 only for 0 (never shed). */
  private static int windows(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, (d.toMillis() + WINDOW_MS - 1) / WINDOW_MS);
  }

  void start(@Observes StartupEvent event) {
    for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
      probe(loop);
    }
    windowTimer = vertx.setPeriodic(WINDOW_MS, id -> closeWindow());
  }

  /** Stops the windows; each event-loop probe ends at its next run. */
  @PreDestroy
  void stop() {
    stopped = true;
    vertx.cancelTimer(windowTimer);
  }

  /** Whether joins are admitted now; {@link #refusal} is the check that counts. */
  public boolean admitting() {
    return closedBecause == null;
  }

  /**
   * Whether a join may be checked now; when not, counts the refusal and says why.
   *
   * @return empty when the join may go on, else the reason to give the game server
   */
  public Optional<String> refusal() {
    String behind = closedBecause;
    if (behind != null) {
      refusedBehind.increment();
      return Optional.of("VS at capacity: " + behind);
    }
    boolean withinRate;
    int rate;
    synchronized (joinRateLock) {
      rate = joinsPerSecond;
      withinRate = joinRate.tryTake(clock.millis());
    }
    if (!withinRate) {
      refusedOverRate.increment();
      return Optional.of("VS admits at most " + rate + " new sessions a second now");
    }
    return Optional.empty();
  }

  /**
   * Whether a resume may be checked now; when not (the replica sheds sessions), counts the refusal
   * and says why.
   */
  public Optional<String> resumeRefusal() {
    String why = sheddingBecause;
    if (why == null) {
      return Optional.empty();
    }
    refusedResumes.increment();
    return Optional.of("VS sheds sessions: " + why);
  }

  /** Joins at {@code perSecond}, at most a tenth of a second's worth at once. */
  private MessageRate bucket(int perSecond) {
    return new MessageRate(perSecond, Math.max(1, perSecond / 10), clock.millis());
  }

  private int joinsPerSecond() {
    synchronized (joinRateLock) {
      return joinsPerSecond;
    }
  }

  /** A heartbeat or digest waited {@code ms} on its connection before its check began. */
  public void frameWaited(long ms) {
    frameWait.record(ms);
  }

  /** A receipt was released {@code ms} after its digest arrived. */
  public void receiptReleased(long ms) {
    receipts.record(ms);
  }

  /** Closes the window that ends now; runs on the window timer only. */
  private void closeWindow() {
    AdmissionGate.Window w =
        new AdmissionGate.Window(frameWait.close(), eventLoopLag.close(), receipts.close());
    last = w;
    boolean wasOpen = admitting();
    boolean nowOpen = gate.windowClosed(w);
    int rate = gate.joinsPerSecond();
    synchronized (joinRateLock) {
      if (rate != joinsPerSecond && rate > 0) {
        joinRate = bucket(rate);
      }
      joinsPerSecond = rate;
    }
    closedBecause = gate.closedBecause().orElse(null);
    if (nowOpen && !wasOpen) {
      LOG.info("admitting new sessions again");
    } else if (!nowOpen && wasOpen) {
      LOG.warnf("refusing new sessions: %s", closedBecause);
    }
    if (gate.shedNow()) {
      String why =
          "heartbeats and digests wait " + w.frameWait().p99Ms() + " ms (p99), not falling";
      if (sheddingBecause == null) {
        LOG.warnf("shedding sessions and refusing resumes: %s", why);
      }
      sheddingBecause = why;
      shed.fire(new ShedSessions(gate.shedPercent(), why));
    } else if (!gate.shedding() && sheddingBecause != null) {
      LOG.info("no longer shedding: resumes pass again");
      sheddingBecause = null;
    }
  }

  private static Counter refusedJoins(MeterRegistry meters, String cause) {
    return Counter.builder("mmo.vs.admission.refused.joins")
        .description("joins refused by admission control: replica behind, or over the join rate")
        .tag("cause", cause)
        .register(meters);
  }

  /** Runs on {@code loop} every {@value #PROBE_MS} ms and records how late it ran. */
  private void probe(EventExecutor loop) {
    if (stopped) {
      return;
    }
    long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_MS);
    loop.schedule(
        () -> {
          eventLoopLag.record(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - due));
          probe(loop);
        },
        PROBE_MS,
        TimeUnit.MILLISECONDS);
  }
}
