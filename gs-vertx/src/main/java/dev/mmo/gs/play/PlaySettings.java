package dev.mmo.gs.play;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.wire.GsId;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the match side needs from the configuration (keys in brackets, see gs-vertx/README.md).
 *
 * @param host the interface {@code /play} binds ({@code play.host}, default 0.0.0.0)
 * @param port its port, 0 for any ({@code play.port}, default 7000)
 * @param gsId this game server's enrolled id: hellos for another are refused
 * @param maxClients connected clients at once ({@code play.max-clients}, default 256)
 * @param maxFrameBytes the largest frame a client may send ({@code play.max-frame-bytes}, default
 *     1024: a hello and an input are far smaller)
 * @param inputRate frames a client may send per second on average ({@code play.input-rate}, default
 *     60)
 * @param inputBurst frames a client may send at once ({@code play.input-burst}, default 120)
 * @param transcriptDir where the transcript logs go ({@code transcript.dir}, default ./transcripts)
 * @param ticketSkew the skew allowed when the GS judges its own newest ticket by its wall clock
 *     (default 2 s)
 * @param clientClockSkew W, the largest {@code |client_time_ms - GS time|} of a hello (default 15
 *     min); challenges are remembered for 2W
 * @param maxRememberedChallenges the bound of the challenge replay set (default 65,536)
 * @param eventLoops how many event loops serve the connections and verify their inputs (default:
 *     the number of cores); the match runs on one more
 * @param budget what a connection may spend before its hello is accepted
 */
public record PlaySettings(
    String host,
    int port,
    GsId gsId,
    int maxClients,
    int maxFrameBytes,
    int inputRate,
    int inputBurst,
    Path transcriptDir,
    Duration ticketSkew,
    Duration clientClockSkew,
    int maxRememberedChallenges,
    int eventLoops,
    ConnectionBudget budget) {
  public static final int DEFAULT_PORT = 7000;
  public static final int DEFAULT_MAX_CLIENTS = 256;
  public static final int DEFAULT_MAX_FRAME_BYTES = 1024;
  public static final int DEFAULT_INPUT_RATE = 60;
  public static final int DEFAULT_INPUT_BURST = 120;
  public static final Duration DEFAULT_TICKET_SKEW = Duration.ofSeconds(2);
  public static final Duration DEFAULT_CLIENT_CLOCK_SKEW = Duration.ofMinutes(15);
  public static final int DEFAULT_MAX_REMEMBERED_CHALLENGES = 65_536;

  public PlaySettings {
    requireNonNull(host, "host");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port " + port);
    }
    requireNonNull(gsId, "gsId");
    positive(maxClients, "maxClients");
    if (maxFrameBytes < 256 || maxFrameBytes > Limits.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxFrameBytes must be 256.." + Limits.MAX_FRAME_BYTES + ", got " + maxFrameBytes);
    }
    positive(inputRate, "inputRate");
    positive(inputBurst, "inputBurst");
    requireNonNull(transcriptDir, "transcriptDir");
    nonNegative(ticketSkew, "ticketSkew");
    nonNegative(clientClockSkew, "clientClockSkew");
    positive(maxRememberedChallenges, "maxRememberedChallenges");
    positive(eventLoops, "eventLoops");
    requireNonNull(budget, "budget");
  }

  /** The defaults, for {@code gsId}. */
  public static PlaySettings defaults(GsId gsId) {
    return new PlaySettings(
        "0.0.0.0",
        DEFAULT_PORT,
        gsId,
        DEFAULT_MAX_CLIENTS,
        DEFAULT_MAX_FRAME_BYTES,
        DEFAULT_INPUT_RATE,
        DEFAULT_INPUT_BURST,
        Path.of("transcripts"),
        DEFAULT_TICKET_SKEW,
        DEFAULT_CLIENT_CLOCK_SKEW,
        DEFAULT_MAX_REMEMBERED_CHALLENGES,
        Runtime.getRuntime().availableProcessors(),
        ConnectionBudget.DEFAULTS);
  }

  public PlaySettings withHost(String value) {
    return new PlaySettings(
        value,
        port,
        gsId,
        maxClients,
        maxFrameBytes,
        inputRate,
        inputBurst,
        transcriptDir,
        ticketSkew,
        clientClockSkew,
        maxRememberedChallenges,
        eventLoops,
        budget);
  }

  public PlaySettings withPort(int value) {
    return new PlaySettings(
        host,
        value,
        gsId,
        maxClients,
        maxFrameBytes,
        inputRate,
        inputBurst,
        transcriptDir,
        ticketSkew,
        clientClockSkew,
        maxRememberedChallenges,
        eventLoops,
        budget);
  }

  public PlaySettings withMaxClients(int value) {
    return new PlaySettings(
        host,
        port,
        gsId,
        value,
        maxFrameBytes,
        inputRate,
        inputBurst,
        transcriptDir,
        ticketSkew,
        clientClockSkew,
        maxRememberedChallenges,
        eventLoops,
        budget);
  }

  public PlaySettings withMaxFrameBytes(int value) {
    return new PlaySettings(
        host,
        port,
        gsId,
        maxClients,
        value,
        inputRate,
        inputBurst,
        transcriptDir,
        ticketSkew,
        clientClockSkew,
        maxRememberedChallenges,
        eventLoops,
        budget);
  }

  public PlaySettings withInputRate(int rate, int burst) {
    return new PlaySettings(
        host,
        port,
        gsId,
        maxClients,
        maxFrameBytes,
        rate,
        burst,
        transcriptDir,
        ticketSkew,
        clientClockSkew,
        maxRememberedChallenges,
        eventLoops,
        budget);
  }

  public PlaySettings withTranscriptDir(Path value) {
    return new PlaySettings(
        host,
        port,
        gsId,
        maxClients,
        maxFrameBytes,
        inputRate,
        inputBurst,
        value,
        ticketSkew,
        clientClockSkew,
        maxRememberedChallenges,
        eventLoops,
        budget);
  }

  public PlaySettings withTicketSkew(Duration value) {
    return new PlaySettings(
        host,
        port,
        gsId,
        maxClients,
        maxFrameBytes,
        inputRate,
        inputBurst,
        transcriptDir,
        value,
        clientClockSkew,
        maxRememberedChallenges,
        eventLoops,
        budget);
  }

  public PlaySettings withClientClockSkew(Duration value) {
    return new PlaySettings(
        host,
        port,
        gsId,
        maxClients,
        maxFrameBytes,
        inputRate,
        inputBurst,
        transcriptDir,
        ticketSkew,
        value,
        maxRememberedChallenges,
        eventLoops,
        budget);
  }

  public PlaySettings withMaxRememberedChallenges(int value) {
    return new PlaySettings(
        host,
        port,
        gsId,
        maxClients,
        maxFrameBytes,
        inputRate,
        inputBurst,
        transcriptDir,
        ticketSkew,
        clientClockSkew,
        value,
        eventLoops,
        budget);
  }

  public PlaySettings withEventLoops(int value) {
    return new PlaySettings(
        host,
        port,
        gsId,
        maxClients,
        maxFrameBytes,
        inputRate,
        inputBurst,
        transcriptDir,
        ticketSkew,
        clientClockSkew,
        maxRememberedChallenges,
        value,
        budget);
  }

  private static void positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  private static void nonNegative(Duration value, String name) {
    if (requireNonNull(value, name).isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
  }

  public PlaySettings withBudget(ConnectionBudget value) {
    return new PlaySettings(
        host,
        port,
        gsId,
        maxClients,
        maxFrameBytes,
        inputRate,
        inputBurst,
        transcriptDir,
        ticketSkew,
        clientClockSkew,
        maxRememberedChallenges,
        eventLoops,
        value);
  }
}
