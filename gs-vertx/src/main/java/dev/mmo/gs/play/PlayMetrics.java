package dev.mmo.gs.play;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place where {@code /play} counts: verified inputs, refusals by reason (one counter per
 * reason), tick time, connected clients. Refusals are logged at most once a second with a count of
 * the rest, so a flood of bad frames writes almost nothing. Peers only ever see the reason code.
 */
final class PlayMetrics {
  private static final Logger LOG = System.getLogger(PlayMetrics.class.getName());

  private final Map<Reason, Counter> rejections = new EnumMap<>(Reason.class);
  private final Counter verified;
  private final Counter upgradeTimeouts;
  private final Timer tickTime;
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - 1_000_000_000L);
  private final AtomicLong unlogged = new AtomicLong();

  PlayMetrics(MeterRegistry registry) {
    for (Reason reason : Reason.values()) {
      rejections.put(
          reason,
          Counter.builder("mmo.gs.play.rejections")
              .description("frames and connections refused on /play, by reason")
              .tag("reason", reason.name())
              .register(registry));
    }
    upgradeTimeouts =
        Counter.builder("mmo.gs.play.upgrade.timeouts")
            .description(
                "connections closed for no complete request head within the upgrade timeout")
            .register(registry);
    verified =
        Counter.builder("mmo.gs.inputs.verified")
            .description("client inputs that passed every check and were queued for the match")
            .register(registry);
    tickTime =
        Timer.builder("mmo.gs.tick.time")
            .description("time one simulation tick takes on the match's event loop")
            .register(registry);
    Gauge.builder("mmo.gs.clients.connected", connected, AtomicInteger::get)
        .description("clients that completed the handshake and are connected")
        .register(registry);
  }

  void upgradeTimedOut() {
    upgradeTimeouts.increment();
  }

  void verified() {
    verified.increment();
  }

  void tick(long nanos) {
    tickTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  void connected(int delta) {
    connected.addAndGet(delta);
  }

  int connectedNow() {
    return connected.get();
  }

  void rejected(Rejection rejection, String peer) {
    rejections.get(rejection.reason()).increment();
    long now = System.nanoTime();
    long last = lastLogNanos.get();
    if (now - last >= 1_000_000_000L && lastLogNanos.compareAndSet(last, now)) {
      long more = unlogged.getAndSet(0);
      LOG.log(
          Level.INFO,
          "refused on /play from {0}: {1}{2}",
          peer,
          rejection.getMessage(),
          more == 0 ? "" : " (" + more + " more refusals not logged)");
    } else {
      unlogged.incrementAndGet();
    }
  }
}
