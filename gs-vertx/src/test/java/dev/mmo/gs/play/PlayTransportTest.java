package dev.mmo.gs.play;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.ServerHello;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.transport.RawWebSocket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport budgets of docs/protocol.md section 1 against the real {@code /play} server, each
 * attack on its own connection while a bystander client plays on: every attack closes only its
 * connection, with its code, in its time.
 */
@ExtendWith(VertxExtension.class)
class PlayTransportTest {
  private static final GsId GS_ID = new GsId("gs-test");
  private static final GameRules RULES =
      new GameRules(20, 5_000, new Bounds(-100_000, -100_000, 100_000, 100_000));
  private static final Duration UPGRADE_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(1);
  private static final int PER_SOURCE = 4;

  /** The guard's and the WebSocket stack's closing grace. */
  private static final Duration GRACE = Duration.ofSeconds(1);

  /** What a loaded 2-core machine may add to a deadline. */
  private static final Duration SLACK = Duration.ofMillis(1_500);

  /** The TCP connection ends this soon after the server's Close frame or answer. */
  private static final Duration TCP_END = GRACE.plusMillis(900);

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

  private RawWebSocket upgraded() throws IOException {
    RawWebSocket raw = RawWebSocket.connect("127.0.0.1", port);
    assertThat(raw.upgrade("/play", "")).startsWith("HTTP/1.1 101 ");
    return raw;
  }

  /** The bystander still gets snapshots, and is still connected. */
  private void bystanderPlaysOn() throws Exception {
    long after = System.nanoTime();
    bystander.snapshot(s -> System.nanoTime() > after);
    assertThat(bystander.isClosed()).isFalse();
  }

  @Test
  void upgrade_offeringPermessageDeflate_noExtensionAccepted() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect("127.0.0.1", port)) {
      String head =
          raw.upgrade(
              "/play",
              "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                  + "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n");
      assertThat(head).startsWith("HTTP/1.1 101 ");
      assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("sec-websocket-extensions");
    }
  }

  @Test
  void compressedMessage_refusedMalformedFromItsHeader_nothingInflated() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect("127.0.0.1", port)) {
      raw.upgrade("/play", "Sec-WebSocket-Extensions: permessage-deflate\r\n");
      // 64 MB of zeros in about 64 KB: RSV1 set, as a client that believed in the extension sends.
      byte[] bomb = RawWebSocket.deflateBomb(60_000_000);
      assertThat(bomb.length).isLessThan(65_536);
      long start = System.nanoTime();
      raw.send(RawWebSocket.frame(0xC2, bomb));
      assertThat(raw.awaitClose(SLACK)).isEqualTo(Reason.MALFORMED.closeCode());
      assertThat(raw.awaitEnd(TCP_END)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GRACE.plus(SLACK));
    }
    bystanderPlaysOn();
  }

  @Test
  void oversizedFrames_refusedFrameTooLargeFromTheirHeaders() throws Exception {
    for (long announced : new long[] {65_537, 1L << 40}) {
      try (RawWebSocket raw = upgraded()) {
        // Only the header and a few bytes: the verdict must not wait for the payload.
        raw.send(RawWebSocket.header(0x82, announced, new byte[16]));
        assertThat(raw.awaitClose(SLACK)).as("announcing " + announced).isEqualTo(4009);
        assertThat(raw.awaitEnd(TCP_END)).isTrue();
      }
    }
    try (RawWebSocket raw = upgraded()) {
      // Fragments that add up past the GS's client limit (play.max-frame-bytes, 1,024).
      raw.send(RawWebSocket.frame(0x02, new byte[600]));
      raw.send(RawWebSocket.header(0x80, 600, new byte[0]));
      assertThat(raw.awaitClose(SLACK)).isEqualTo(Reason.FRAME_TOO_LARGE.closeCode());
    }
    bystanderPlaysOn();
  }

  @Test
  void trickledFrame_closedAtTheHelloTimeout_tcpEndsWithinTheGrace() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect("127.0.0.1", port)) {
      long start = System.nanoTime();
      raw.upgrade("/play", "");
      byte[] hello = RawWebSocket.frame(0x82, new byte[200]);
      raw.send(Arrays.copyOf(hello, 10));
      // One byte every 100 ms: each arrives well within any idle timeout.
      Thread trickle = raw.trickle(hello, 10, Duration.ofMillis(100));
      assertThat(raw.awaitClose(HELLO_TIMEOUT.plus(SLACK)))
          .isEqualTo(Reason.UNEXPECTED_TYPE.closeCode());
      assertThat(raw.awaitEnd(TCP_END)).isTrue();
      Duration lived = Duration.ofNanos(System.nanoTime() - start);
      assertThat(lived).isLessThan(HELLO_TIMEOUT.plus(GRACE).plus(SLACK));
      trickle.interrupt();
    }
    bystanderPlaysOn();
  }

  @Test
  void trickledUpgradeRequest_answered408AtTheUpgradeTimeout() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect("127.0.0.1", port)) {
      long start = System.nanoTime();
      byte[] request = RawWebSocket.upgradeRequest("/play", "");
      Thread trickle = raw.trickle(request, 0, Duration.ofMillis(50));
      assertThat(raw.readHead()).startsWith("HTTP/1.1 408 ");
      assertThat(raw.awaitEnd(TCP_END)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(UPGRADE_TIMEOUT)
          .isLessThan(UPGRADE_TIMEOUT.plus(SLACK));
      trickle.interrupt();
    }
    bystanderPlaysOn();
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
    bystanderPlaysOn();
  }

  @Test
  void pingFlood_rateLimited() throws Exception {
    try (RawWebSocket raw = upgraded()) {
      for (int i = 0; i < 50; i++) {
        raw.send(RawWebSocket.frame(0x89, new byte[4]));
      }
      assertThat(raw.awaitClose(SLACK)).isEqualTo(Reason.RATE_LIMITED.closeCode());
    }
    bystanderPlaysOn();
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

  @Test
  void whitespaceBeforeTheRequestLine_stillTimedOut408() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect("127.0.0.1", port)) {
      long start = System.nanoTime();
      raw.send(" \r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      raw.send("GET /play HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(raw.readHead()).startsWith("HTTP/1.1 408 ");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(UPGRADE_TIMEOUT.plus(SLACK));
      assertThat(raw.awaitEnd(TCP_END)).isTrue();
    }
  }

  @Test
  void upgradeRequestWithABodyNeverSent_408AtTheUpgradeTimeout() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect("127.0.0.1", port)) {
      long start = System.nanoTime();
      raw.send(RawWebSocket.upgradeRequest("/play", "Content-Length: 8000\r\n"));
      assertThat(raw.readHead()).startsWith("HTTP/1.1 408 ");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(UPGRADE_TIMEOUT.plus(SLACK));
      assertThat(raw.awaitEnd(TCP_END)).isTrue();
    }
    bystanderPlaysOn();
  }
}
