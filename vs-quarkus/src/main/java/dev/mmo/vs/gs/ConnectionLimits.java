package dev.mmo.vs.gs;

import dev.mmo.vs.config.VsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code /gs} allows before it knows who is asking: new connections per source address and in
 * total, and join or resume attempts being checked at once. Everything here is in memory and
 * bounded, so a flood from unauthenticated peers costs a counter, never a Redis or PostgreSQL call.
 * Thread-safe.
 */
@ApplicationScoped
public class ConnectionLimits {
  /** The limits, as {@link VsConfig.Gs} names them. */
  record Settings(
      int sourceConnectionsPerMinute,
      int sourceConnectionBurst,
      int connectionsPerSecond,
      int connectionBurst,
      int maxTrackedSources,
      int maxBindsInFlight) {
    static Settings of(VsConfig.Gs gs) {
      return new Settings(
          gs.sourceConnectionsPerMinute(),
          gs.sourceConnectionBurst(),
          gs.connectionsPerSecond(),
          gs.connectionBurst(),
          gs.maxTrackedSources(),
          gs.maxBindsInFlight());
    }
  }

  private final Settings config;
  private final MessageRate total;
  private final Map<String, MessageRate> bySource;
  private final AtomicInteger bindsInFlight = new AtomicInteger();

  @Inject
  public ConnectionLimits(VsConfig config, Clock clock) {
    this(Settings.of(config.gs()), clock.millis());
  }

  ConnectionLimits(Settings config, long nowMs) {
    this.config = config;
    this.total = new MessageRate(config.connectionsPerSecond(), config.connectionBurst(), nowMs);
    int maxSources = config.maxTrackedSources();
    // Least recently seen sources make room first. A source forgotten that way starts over with a
    // full burst, which the total limit still bounds.
    this.bySource =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, MessageRate> eldest) {
            return size() > maxSources;
          }
        };
  }

  /** Takes one new connection from {@code source} at {@code nowMs}; false when over a limit. */
  synchronized boolean tryOpen(String source, long nowMs) {
    MessageRate fromSource =
        bySource.computeIfAbsent(
            source,
            s ->
                new MessageRate(
                    config.sourceConnectionsPerMinute(),
                    60_000,
                    config.sourceConnectionBurst(),
                    nowMs));
    return fromSource.tryTake(nowMs) && total.tryTake(nowMs);
  }

  /** Starts checking a join or resume; false when too many are being checked already. */
  boolean tryStartBinding() {
    if (bindsInFlight.incrementAndGet() > config.maxBindsInFlight()) {
      bindsInFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  /** A join or resume started with {@link #tryStartBinding} is over, however it ended. */
  void bindingDone() {
    bindsInFlight.decrementAndGet();
  }

  int bindsInFlight() {
    return bindsInFlight.get();
  }
}
