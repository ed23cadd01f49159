package dev.mmo.gs.play;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.ServerHello;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.transport.RawWebSocket;
import dev.mmo.transport.TransportContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport rules of docs/protocol.md section 1.1 against the real {@code /play} server (the
 * shared {@link TransportContract}, and what only the GS does: per-source limits at the accept,
 * nothing but the upgrade on its port), while a bystander client plays on.
 */
@ExtendWith(VertxExtension.class)
class PlayTransportTest extends TransportContract {
  private static final GsId GS_ID = new GsId("gs-test");
  private static final GameRules RULES =
      new GameRules(20, 5_000, new Bounds(-100_000, -100_000, 100_000, 100_000));
  private static final Duration UPGRADE_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(1);
  private static final int PER_SOURCE = 4;

  @TempDir Path transcripts;
  private final Clock clock = Clock.systemUTC();
  private Vertx vertx;
  private PlayServer server;
  private int port;
  private TestClient bystander;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    TestBlessing blessing = new TestBlessing(vertx.getOrCreateContext(), clock, GS_ID, RULES);
    blessing.issueTicket(60_000);
    PlaySettings settings =
        PlaySettings.defaults(GS_ID)
            .withHost("127.0.0.1")
            .withPort(0)
            .withEventLoops(2)
            .withTranscriptDir(transcripts)
            .withBudget(
                new ConnectionBudget(UPGRADE_TIMEOUT, HELLO_TIMEOUT, PER_SOURCE, 6_000, 1_000));
    server = new PlayServer(vertx, settings, blessing, new SimpleMeterRegistry(), clock);
    port = get(server.start());
    bystander = TestClient.connect(vertx, port);
    bystander.handshake(GS_ID, clock.millis());
  }

  @AfterEach
  void stop() throws Exception {
    bystander.close();
    get(server.stop());
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Override
  protected int port() {
    return port;
  }

  @Override
  protected String path() {
    return "/play";
  }

  @Override
  protected int maxMessageBytes() {
    return PlaySettings.DEFAULT_MAX_FRAME_BYTES;
  }

  @Override
  protected Duration upgradeTimeout() {
    return UPGRADE_TIMEOUT;
  }

  @Override
  protected Duration firstMessageTimeout() {
    return HELLO_TIMEOUT;
  }

  /** The bystander still gets snapshots, and is still connected. */
  @Override
  protected void bystanderUnaffected() throws Exception {
    long after = System.nanoTime();
    bystander.snapshot(s -> System.nanoTime() > after);
    assertThat(bystander.isClosed()).isFalse();
  }

  @Test
  void connectionsBeyondThePerSourceLimit_refusedUntilOneEnds() throws Exception {
    // The bystander holds one of the source's connections.
    List<RawWebSocket> held = new ArrayList<>();
    for (int i = 1; i < PER_SOURCE; i++) {
      held.add(upgraded());
    }
    try (RawWebSocket refused = RawWebSocket.connect("127.0.0.1", port)) {
      assertThat(refused.awaitEnd(SLACK)).as("closed at the accept").isTrue();
    }
    held.remove(0).close();
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              try (RawWebSocket again = RawWebSocket.connect("127.0.0.1", port)) {
                assertThat(again.upgrade("/play", "")).startsWith("HTTP/1.1 101 ");
              }
            });
    for (RawWebSocket raw : held) {
      raw.close();
    }
    bystanderUnaffected();
  }

  @Test
  void validHelloAfterTheGuard_stillPlays() throws Exception {
    TestClient client = TestClient.connect(vertx, port);
    client.send(Codec.encode(client.hello(GS_ID, clock.millis())));
    Object answer = client.next(ServerHello.class);
    assertThat(answer).isNotNull();
    client.close();
  }

  @Test
  void plainHttpRequest_answered404AndTheConnectionEnds() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect("127.0.0.1", port)) {
      raw.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(raw.readHead()).startsWith("HTTP/1.1 404 ");
      assertThat(raw.awaitEnd(TCP_END)).isTrue();
    }
    try (RawWebSocket raw = RawWebSocket.connect("127.0.0.1", port)) {
      assertThat(raw.upgrade("/elsewhere", "")).startsWith("HTTP/1.1 404 ");
      assertThat(raw.awaitEnd(TCP_END)).isTrue();
    }
  }
}
