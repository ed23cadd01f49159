package dev.mmo.transport;

import dev.mmo.protocol.Limits;
import java.time.Duration;

/**
 * The budgets a {@link ConnectionGuard} holds a connection to (docs/protocol.md section 1.1).
 *
 * @param upgradeTimeout how long after the TCP connection is accepted the server's answer to a
 *     WebSocket upgrade request may leave (default 5 s); on a port that also serves plain HTTP, a
 *     first request that is not an upgrade has to complete its head by then. Else {@code 408}.
 * @param maxMessageBytes the longest WebSocket message, all fragments together (at most the
 *     protocol's 65,536 bytes)
 * @param rates how many frames a peer may send
 * @param closeGrace how long after the guard sent its Close frame (or a plain-HTTP answer on an
 *     upgrade-only port) the TCP connection is closed, whatever the peer does meanwhile (1 s)
 * @param plainHttp how the port serves plain HTTP requests; {@code null} on a port that serves
 *     nothing but WebSocket upgrades: after any other answer the guard reads nothing more and
 *     closes the connection a grace later
 */
public record GuardSettings(
    Duration upgradeTimeout,
    int maxMessageBytes,
    Rates rates,
    Duration closeGrace,
    PlainHttp plainHttp) {
  public static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

  /** Without a setting of its own, a plain HTTP request must be answered within 30 s. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * A port that also serves plain HTTP requests.
   *
   * @param requestTimeout every request must be answered (its response head must leave) this soon
   *     after its first byte arrived (the first request: after the accept), however its head and
   *     body trickle in; else {@code 408} and the connection is closed
   * @param refusals what a bare refusal of the server's HTTP stack (a 4xx or 5xx without a body)
   *     and the guard's own {@code 408} carry as a body; {@code null} leaves them as they are
   */
  public record PlainHttp(Duration requestTimeout, Refusals refusals) {
    public PlainHttp {
      if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException(
            "requestTimeout must be positive, got " + requestTimeout);
      }
    }
  }

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

  /** Whether the port serves nothing but WebSocket upgrades. */
  public boolean upgradeOnly() {
    return plainHttp == null;
  }

  /**
   * The defaults, with {@code upgradeTimeout}, for a port that also serves plain HTTP: requests
   * answered within {@link #REQUEST_TIMEOUT}, refusals left as the server writes them.
   */
  public static GuardSettings of(Duration upgradeTimeout) {
    return plainHttp(upgradeTimeout, new PlainHttp(REQUEST_TIMEOUT, null));
  }

  /** The defaults, with {@code upgradeTimeout}, for a port that also serves plain HTTP so. */
  public static GuardSettings plainHttp(Duration upgradeTimeout, PlainHttp plainHttp) {
    if (plainHttp == null) {
      throw new IllegalArgumentException("plainHttp");
    }
    return new GuardSettings(
        upgradeTimeout, Limits.MAX_FRAME_BYTES, Rates.DEFAULT, CLOSE_GRACE, plainHttp);
  }

  /**
   * The defaults, with {@code upgradeTimeout}, for a port that serves only WebSocket messages of at
   * most {@code maxMessageBytes}.
   */
  public static GuardSettings upgradeOnly(Duration upgradeTimeout, int maxMessageBytes) {
    return new GuardSettings(upgradeTimeout, maxMessageBytes, Rates.DEFAULT, CLOSE_GRACE, null);
  }
}
