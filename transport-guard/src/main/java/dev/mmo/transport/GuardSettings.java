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
 * @param pingsPerSecond pings a peer may send a second on average (default 5), in bursts of twice
 *     that
 * @param closeGrace how long after the guard sent its Close frame the TCP connection is closed,
 *     whatever the peer does meanwhile (default 1 s)
 * @param upgradeOnly the port serves nothing but WebSocket upgrades: after any other response the
 *     guard reads nothing more and closes the connection a grace later (a server whose port also
 *     serves plain HTTP leaves such connections to its HTTP stack)
 */
public record GuardSettings(
    Duration upgradeTimeout,
    int maxMessageBytes,
    int pingsPerSecond,
    Duration closeGrace,
    boolean upgradeOnly) {
  public static final Duration DEFAULT_UPGRADE_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_PINGS_PER_SECOND = 5;
  public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(1);

  public GuardSettings {
    positive(upgradeTimeout, "upgradeTimeout");
    if (maxMessageBytes < 1 || maxMessageBytes > Limits.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be 1.." + Limits.MAX_FRAME_BYTES + ", got " + maxMessageBytes);
    }
    if (pingsPerSecond < 1) {
      throw new IllegalArgumentException("pings " + pingsPerSecond + "/s");
    }
    positive(closeGrace, "closeGrace");
  }

  /** The defaults, with {@code upgradeTimeout}, for a port that also serves plain HTTP. */
  public static GuardSettings of(Duration upgradeTimeout) {
    return new GuardSettings(
        upgradeTimeout,
        Limits.MAX_FRAME_BYTES,
        DEFAULT_PINGS_PER_SECOND,
        DEFAULT_CLOSE_GRACE,
        false);
  }

  /**
   * The defaults, with {@code upgradeTimeout}, for a port that serves only WebSocket messages of at
   * most {@code maxMessageBytes}.
   */
  public static GuardSettings upgradeOnly(Duration upgradeTimeout, int maxMessageBytes) {
    return new GuardSettings(
        upgradeTimeout, maxMessageBytes, DEFAULT_PINGS_PER_SECOND, DEFAULT_CLOSE_GRACE, true);
  }

  /** Pings a peer may send at once. */
  public int pingBurst() {
    return 2 * pingsPerSecond;
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
