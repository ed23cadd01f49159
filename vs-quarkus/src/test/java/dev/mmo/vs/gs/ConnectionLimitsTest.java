package dev.mmo.vs.gs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory limits of /gs, with time passed in. */
class ConnectionLimitsTest {
  private static final long T0 = 1_700_000_000_000L;

  @Test
  void tryOpen_beyondTheSourceBurst_refusedUntilRefilled() {
    ConnectionLimits limits = limits(Map.of("sourceConnectionBurst", 2));

    assertThat(limits.tryOpen("192.0.2.1", T0)).isTrue();
    assertThat(limits.tryOpen("192.0.2.1", T0)).isTrue();
    assertThat(limits.tryOpen("192.0.2.1", T0)).isFalse();
    assertThat(limits.tryOpen("192.0.2.2", T0)).isTrue();
    // 120 a minute: one every 500 ms.
    assertThat(limits.tryOpen("192.0.2.1", T0 + 500)).isTrue();
  }

  @Test
  void tryOpen_beyondTheTotalBurst_refusedForEverySource() {
    ConnectionLimits limits = limits(Map.of("connectionBurst", 3, "connectionsPerSecond", 1));
    for (int i = 0; i < 3; i++) {
      assertThat(limits.tryOpen("192.0.2." + i, T0)).isTrue();
    }

    assertThat(limits.tryOpen("198.51.100.7", T0)).isFalse();
    assertThat(limits.tryOpen("198.51.100.7", T0 + 1_000)).isTrue();
  }

  @Test
  void tryOpen_sourcesBeyondTheTrackedMaximum_oldestForgottenMapStaysBounded() {
    ConnectionLimits limits =
        limits(Map.of("sourceConnectionBurst", 1, "maxTrackedSources", 2, "connectionBurst", 100));
    assertThat(limits.tryOpen("192.0.2.1", T0)).isTrue();
    assertThat(limits.tryOpen("192.0.2.1", T0)).isFalse();

    limits.tryOpen("192.0.2.2", T0);
    limits.tryOpen("192.0.2.3", T0);

    // Forgotten, so it starts over: the total limit is what bounds a crowd of sources.
    assertThat(limits.tryOpen("192.0.2.1", T0)).isTrue();
  }

  @Test
  void tryStartBinding_atTheMaximumInFlight_refusedUntilOneIsDone() {
    ConnectionLimits limits = limits(Map.of("maxBindsInFlight", 2));

    assertThat(limits.tryStartBinding()).isTrue();
    assertThat(limits.tryStartBinding()).isTrue();
    assertThat(limits.tryStartBinding()).isFalse();
    assertThat(limits.bindsInFlight()).isEqualTo(2);
    limits.bindingDone();
    assertThat(limits.tryStartBinding()).isTrue();
  }

  @Test
  void logLimiter_overTheRate_holdsLinesBackAndCountsThem() {
    LogLimiter log = new LogLimiter(1, 2, T0);

    assertThat(log.tryLog(T0)).isZero();
    assertThat(log.tryLog(T0)).isZero();
    assertThat(log.tryLog(T0)).isEqualTo(-1);
    assertThat(log.tryLog(T0)).isEqualTo(-1);
    assertThat(log.tryLog(T0 + 1_000)).isEqualTo(2);
  }

  /** The defaults of {@link dev.mmo.vs.config.VsConfig.Gs}, with {@code overrides} by name. */
  private static ConnectionLimits limits(Map<String, Integer> overrides) {
    return new ConnectionLimits(
        new ConnectionLimits.Settings(
            overrides.getOrDefault("sourceConnectionsPerMinute", 120),
            overrides.getOrDefault("sourceConnectionBurst", 30),
            overrides.getOrDefault("connectionsPerSecond", 200),
            overrides.getOrDefault("connectionBurst", 400),
            overrides.getOrDefault("maxTrackedSources", 65_536),
            overrides.getOrDefault("maxBindsInFlight", 64)),
        T0);
  }
}
