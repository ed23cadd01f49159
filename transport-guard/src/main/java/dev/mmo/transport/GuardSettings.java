package dev.mmo.transport;

import dev.mmo.protocol.Limits;
import java.time.Duration;

/**
 * The budgets a {@link ConnectionGuard} holds a connection to (docs/protocol.md section 1).
 *
 * @param upgradeTimeout how long after the TCP connection is accepted its first HTTP request head
 *     must be complete (default 5 s); else the server answers 408 and closes
 * @param maxMessageBytes the longest WebSocket message, all fragments together (the protocol's
 *     frame limit, 65,536 bytes)
 * @param pingsPerSecond pings a peer may send a second on average (default 5)
 * @param pingBurst pings a peer may send at once (default 10)
 * @param closeGrace how long after the guard sent its Close frame the TCP connection is closed,
 *     whatever the peer does meanwhile (default 1 s)
 */
public record GuardSettings(
    Duration upgradeTimeout,
    int maxMessageBytes,
    int pingsPerSecond,
    int pingBurst,
    Duration closeGrace) {
  public static final Duration DEFAULT_UPGRADE_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_PINGS_PER_SECOND = 5;
  public static final int DEFAULT_PING_BURST = 10;
  public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(1);

  public GuardSettings {
    positive(upgradeTimeout, "upgradeTimeout");
    if (maxMessageBytes < 1 || maxMessageBytes > Limits.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be 1.." + Limits.MAX_FRAME_BYTES + ", got " + maxMessageBytes);
    }
    if (pingsPerSecond < 1 || pingBurst < 1) {
      throw new IllegalArgumentException("pings " + pingsPerSecond + "/s, burst " + pingBurst);
    }
    positive(closeGrace, "closeGrace");
  }

  /** The defaults, with {@code upgradeTimeout}. */
  public static GuardSettings of(Duration upgradeTimeout) {
    return new GuardSettings(
        upgradeTimeout,
        Limits.MAX_FRAME_BYTES,
        DEFAULT_PINGS_PER_SECOND,
        DEFAULT_PING_BURST,
        DEFAULT_CLOSE_GRACE);
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
