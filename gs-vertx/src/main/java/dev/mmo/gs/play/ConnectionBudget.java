package dev.mmo.gs.play;

import java.time.Duration;

/**
 * What a {@code /play} connection may spend before it is a player, counted from the TCP accept
 * (docs/protocol.md sections 1 and 10.1; keys in brackets, see gs-vertx/README.md).
 *
 * @param upgradeTimeout the first request head must be complete this soon after the accept ({@code
 *     play.upgrade-timeout}, default 5 s)
 * @param helloTimeout a ClientHello must be accepted this soon after the upgrade ({@code
 *     play.hello-timeout}, default 10 s)
 * @param maxConnectionsPerSource connections open at once from one source, an IPv4 address or an
 *     IPv6 /64 ({@code play.max-connections-per-source}, default 32)
 * @param sourceConnectionsPerMinute new connections a minute from one source ({@code
 *     play.source-connections-per-minute}, default 120)
 * @param sourceConnectionBurst new connections at once from one source ({@code
 *     play.source-connection-burst}, default 30)
 */
public record ConnectionBudget(
    Duration upgradeTimeout,
    Duration helloTimeout,
    int maxConnectionsPerSource,
    int sourceConnectionsPerMinute,
    int sourceConnectionBurst) {
  public static final Duration DEFAULT_UPGRADE_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 32;
  public static final int DEFAULT_SOURCE_CONNECTIONS_PER_MINUTE = 120;
  public static final int DEFAULT_SOURCE_CONNECTION_BURST = 30;
  public static final ConnectionBudget DEFAULTS =
      new ConnectionBudget(
          DEFAULT_UPGRADE_TIMEOUT,
          DEFAULT_HELLO_TIMEOUT,
          DEFAULT_MAX_CONNECTIONS_PER_SOURCE,
          DEFAULT_SOURCE_CONNECTIONS_PER_MINUTE,
          DEFAULT_SOURCE_CONNECTION_BURST);

  public ConnectionBudget {
    positive(upgradeTimeout, "upgradeTimeout");
    positive(helloTimeout, "helloTimeout");
    if (maxConnectionsPerSource < 1
        || sourceConnectionsPerMinute < 1
        || sourceConnectionBurst < 1) {
      throw new IllegalArgumentException(
          "per-source limits must be positive: "
              + maxConnectionsPerSource
              + ", "
              + sourceConnectionsPerMinute
              + ", "
              + sourceConnectionBurst);
    }
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
