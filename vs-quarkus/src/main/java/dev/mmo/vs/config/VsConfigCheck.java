package dev.mmo.vs.config;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start with settings that would only fail later, one session at a time: the cadence a
 * JoinAccept pins, the rules, the state TTL the ticket rounds keep alive, and the pings that tell a
 * live game-server connection from a dead one.
 */
@Startup
@ApplicationScoped
public class VsConfigCheck {
  /** Ticket rounds refresh a game server's session index once per this many tickets. */
  public static final int INDEX_REFRESH_TICKETS = 32;

  /**
   * The most tickets a session keeps to send again after a resume: {@code ceil(lifetime / interval)
   * + 1} must not exceed it, so the session state stays small.
   */
  public static final int MAX_KEPT_TICKETS = 64;

  /** Where Quarkus's own setting for the server's pings on /gs lives. */
  public static final String PING_INTERVAL = "quarkus.websockets-next.server.auto-ping-interval";

  public VsConfigCheck(
      VsConfig config, @ConfigProperty(name = PING_INTERVAL) Optional<Duration> pingInterval) {
    VsConfig.Session session = config.session();
    long interval = session.ticketInterval().toMillis();
    require(interval >= 1, "mmo.vs.session.ticket-interval must be at least 1 ms");
    require(
        session.ticketLifetime().toMillis() > interval,
        "mmo.vs.session.ticket-lifetime must be longer than the ticket interval");
    require(
        session.ticketLifetime().toMillis() <= MAX_KEPT_TICKETS * interval - interval,
        "mmo.vs.session.ticket-lifetime must be at most "
            + (MAX_KEPT_TICKETS - 1)
            + " ticket intervals (a session keeps that many tickets for a resume)");
    require(
        session.stateTtl().toMillis() > INDEX_REFRESH_TICKETS * interval,
        "mmo.vs.session.state-ttl must exceed " + INDEX_REFRESH_TICKETS + " ticket intervals");
    require(
        session.heartbeatInterval().toMillis() >= 1, "mmo.vs.session.heartbeat-interval too short");
    VsConfig.Attest attest = config.attest();
    require(
        attest.maxSilence().compareTo(session.heartbeatInterval().multipliedBy(2)) >= 0,
        "mmo.vs.attest.max-silence must be at least two heartbeat intervals");
    require(
        attest.maxSilence().compareTo(session.stateTtl()) < 0,
        "mmo.vs.attest.max-silence must be shorter than mmo.vs.session.state-ttl");
    require(
        attest.silenceSweepInterval().toMillis() >= 1,
        "mmo.vs.attest.silence-sweep-interval must be at least 1 ms");
    require(
        !attest.tickClockTolerance().isNegative(),
        "mmo.vs.attest.tick-clock-tolerance must not be negative");
    require(
        attest.tickClockDriftPpm() >= 0 && attest.tickClockDriftPpm() <= 100_000,
        "mmo.vs.attest.tick-clock-drift-ppm must be between 0 and 100000");
    require(!attest.tickCatchUp().isNegative(), "mmo.vs.attest.tick-catch-up must not be negative");
    require(
        attest.maxTrackedPlayers() >= Limits.MAX_POSITIONS,
        "mmo.vs.attest.max-tracked-players must be at least " + Limits.MAX_POSITIONS);
    require(attest.maxPendingFrames() >= 1, "mmo.vs.attest.max-pending-frames must be at least 1");
    VsConfig.Gs gs = config.gs();
    Duration ping = pingInterval.orElse(Duration.ZERO);
    require(
        ping.toMillis() >= 1, PING_INTERVAL + " must be set: dead /gs connections go unnoticed");
    require(
        gs.silenceTimeout().compareTo(ping.multipliedBy(2)) >= 0,
        "mmo.vs.gs.silence-timeout must be at least two ping intervals");
    require(
        gs.sourceConnectionsPerMinute() >= 1
            && gs.sourceConnectionBurst() >= 1
            && gs.connectionsPerSecond() >= 1
            && gs.connectionBurst() >= 1
            && gs.maxTrackedSources() >= 1
            && gs.maxBindsInFlight() >= 1,
        "mmo.vs.gs connection limits must be at least 1");
    VsConfig.Rules r = config.rules();
    try {
      new GameRules(
          r.tickRateHz(), r.maxSpeed(), new Bounds(r.minX(), r.minY(), r.maxX(), r.maxY()));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("mmo.vs.rules: " + e.getMessage(), e);
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
