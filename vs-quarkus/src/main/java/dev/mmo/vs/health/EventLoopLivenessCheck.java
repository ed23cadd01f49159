package dev.mmo.vs.health;

import dev.mmo.vs.config.VsConfig;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness check "event-loops": DOWN when an event loop has run nothing for {@code
 * mmo.vs.liveness.max-event-loop-stall} (30 s), so the orchestrator restarts a replica that can no
 * longer recover by itself. A loop that is only late (a busy replica) stays live: admission control
 * answers that; this is for a loop stuck for good, as one is when the class loader blocks on a jar
 * it could not open while the process had no descriptor left (vs-quarkus/README.md, "Connection
 * budgets").
 */
@Liveness
@ApplicationScoped
public class EventLoopLivenessCheck implements HealthCheck {
  private static final long BEAT_MS = 1_000;

  private final Vertx vertx;
  private final Duration maxStall;
  private final List<AtomicLong> lastBeats = new ArrayList<>();
  private volatile boolean stopped;

  public EventLoopLivenessCheck(Vertx vertx, VsConfig config) {
    this.vertx = vertx;
    this.maxStall = config.liveness().maxEventLoopStall();
  }

  void start(@Observes StartupEvent started) {
    for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
      AtomicLong lastBeat = new AtomicLong(System.nanoTime());
      synchronized (lastBeats) {
        lastBeats.add(lastBeat);
      }
      beat(loop, lastBeat);
    }
  }

  void stop(@Observes ShutdownEvent stopping) {
    stopped = true;
  }

  /** On {@code loop} every second: the loop still runs tasks. */
  private void beat(EventExecutor loop, AtomicLong lastBeat) {
    if (stopped) {
      return;
    }
    loop.schedule(
        () -> {
          lastBeat.set(System.nanoTime());
          beat(loop, lastBeat);
        },
        BEAT_MS,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public HealthCheckResponse call() {
    long now = System.nanoTime();
    long stalledMs = 0;
    int stalled = 0;
    synchronized (lastBeats) {
      for (AtomicLong lastBeat : lastBeats) {
        long silentMs = TimeUnit.NANOSECONDS.toMillis(now - lastBeat.get()) - BEAT_MS;
        if (silentMs > maxStall.toMillis()) {
          stalled++;
          stalledMs = Math.max(stalledMs, silentMs);
        }
      }
    }
    return HealthCheckResponse.named("event-loops")
        .status(stalled == 0)
        .withData(
            "detail",
            stalled == 0
                ? "every event loop runs"
                : stalled + " event loop(s) stuck for " + stalledMs + " ms")
        .build();
  }
}
