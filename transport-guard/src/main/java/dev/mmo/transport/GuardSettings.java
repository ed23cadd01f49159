package dev.mmo.transport;

import dev.mmo.protocol.Limits;
import java.time.Duration;

/**
 * The budgets a {@link ConnectionGuard} holds a connection to (docs/protocol.md section 1.1).
 *
 * @param upgradeTimeout how long after the TCP connection is accepted the server's answer to a
 *     WebSocket upgrade request may leave (default 5 s); on a port that also serves plain HTTP, a
 *     request that is not an upgrade only has to complete its head by then. Else {@code 408}.
 * @param maxMessageBytes the longest WebSocket message, all fragments together (at most the
 *     protocol's 65,536 bytes)
 * @param rates how many frames a peer may send
 * @param closeGrace how long after the guard sent its Close frame (or a plain-HTTP answer on an
 *     upgrade-only port) the TCP connection is closed, whatever the peer does meanwhile (1 s)
 * @param upgradeOnly the port serves nothing but WebSocket upgrades: after any other answer the
 *     guard reads nothing more and closes the connection a grace later
 */
public record GuardSettings(
    Duration upgradeTimeout,
    int maxMessageBytes,
    Rates rates,
    Duration closeGrace,
    boolean upgradeOnly) {
  public static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

  /**
   * Frames a peer may send a second on average, in bursts of twice that: frames of any kind, and
   * pings among them (each makes the server write a pong).
   */
  public record Rates(int framesPerSecond, int pingsPerSecond) {
    /** 200 frames a second, 5 of them pings: far above what any client of the protocol sends. */
    public static final Rates DEFAULT = new Rates(200, 5);

    public Rates {
      if (framesPerSecond < 1 || pingsPerSecond < 1) {
        throw new IllegalArgumentException(
            "rates must be positive: " + framesPerSecond + ", " + pingsPerSecond);
      }
    }
  }

  public GuardSettings {
    if (upgradeTimeout == null || upgradeTimeout.isNegative() || upgradeTimeout.isZero()) {
      throw new IllegalArgumentException("upgradeTimeout must be positive, got " + upgradeTimeout);
    }
    if (maxMessageBytes < 1 || maxMessageBytes > Limits.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be 1.." + Limits.MAX_FRAME_BYTES + ", got " + maxMessageBytes);
    }
    if (rates == null) {
      throw new IllegalArgumentException("rates");
    }
    if (closeGrace == null || closeGrace.isNegative() || closeGrace.isZero()) {
      throw new IllegalArgumentException("closeGrace must be positive, got " + closeGrace);
    }
  }

  /** The defaults, with {@code upgradeTimeout}, for a port that also serves plain HTTP. */
  public static GuardSettings of(Duration upgradeTimeout) {
    return new GuardSettings(
        upgradeTimeout, Limits.MAX_FRAME_BYTES, Rates.DEFAULT, CLOSE_GRACE, false);
  }

  /**
   * The defaults, with {@code upgradeTimeout}, for a port that serves only WebSocket messages of at
   * most {@code maxMessageBytes}.
   */
  public static GuardSettings upgradeOnly(Duration upgradeTimeout, int maxMessageBytes) {
    return new GuardSettings(upgradeTimeout, maxMessageBytes, Rates.DEFAULT, CLOSE_GRACE, true);
  }
}
