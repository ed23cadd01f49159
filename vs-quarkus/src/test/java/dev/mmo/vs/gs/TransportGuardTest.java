package dev.mmo.vs.gs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.transport.RawWebSocket;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport budgets of docs/protocol.md section 1 on the VS's port, against the real server:
 * each attack closes only its own connection, with its code, in its time, while a bystander game
 * server keeps its session and its tickets.
 */
@QuarkusTest
@TestProfile(TransportGuardTest.ShortUpgrade.class)
class TransportGuardTest {
  private static final Duration UPGRADE_TIMEOUT = Duration.ofSeconds(1);

  /** The test profile's bind timeout. */
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(2);

  private static final Duration GRACE = Duration.ofSeconds(1);
  private static final Duration SLACK = Duration.ofMillis(1_500);
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The TCP connection ends this soon after the server's Close frame. */
  private static final Duration TCP_END = GRACE.plusMillis(900);

  private static final int PER_SOURCE = 8;

  /** An upgrade timeout of a second, {@value #PER_SOURCE} connections per source. */
  public static final class ShortUpgrade implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "mmo.vs.gs.upgrade-timeout",
          "1s",
          "mmo.vs.gs.max-connections-per-source",
          Integer.toString(PER_SOURCE));
    }
  }

  @TestHTTPResource("/gs")
  URI http;

  @Inject Pool pool;

  private GsTestClient bystander;

  @BeforeEach
  void bystanderJoins() throws Exception {
    GsFixtures fixtures = new GsFixtures(pool);
    var key = GsFixtures.freshKey();
    var id = fixtures.enroll(GsFixtures.freshId(), key);
    bystander = GsTestClient.connect(URI.create(http.toString().replaceFirst("^http", "ws")));
    bystander.send(
        GsFixtures.joinRequest(
            id, key, GsFixtures.freshKey(), GsFixtures.SOFTWARE, System.currentTimeMillis()));
    bystander.next(WAIT);
  }

  @AfterEach
  void bystanderLeaves() {
    bystander.close();
  }

  /** The bystander's session goes on: a new ticket arrives, and the connection is open. */
  private void bystanderKeepsItsSession() throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Frame f = bystander.next(WAIT);
      if (f instanceof Attested<?> a && a.statement() instanceof PlayTicket) {
        return;
      }
    }
    throw new AssertionError("no ticket for the bystander");
  }

  private RawWebSocket raw() throws IOException {
    return RawWebSocket.connect("127.0.0.1", http.getPort());
  }

  @Test
  void upgrade_offeringCompression_noExtensionAccepted() throws Exception {
    try (RawWebSocket raw = raw()) {
      String head =
          raw.upgrade(
              "/gs", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
      assertThat(head).startsWith("HTTP/1.1 101 ");
      assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("sec-websocket-extensions");
    }
  }

  @Test
  void compressedMessage_refusedMalformedFromItsHeader() throws Exception {
    try (RawWebSocket raw = raw()) {
      raw.upgrade("/gs", "Sec-WebSocket-Extensions: permessage-deflate\r\n");
      raw.send(RawWebSocket.frame(0xC2, RawWebSocket.deflateBomb(60_000_000)));
      assertThat(raw.awaitClose(SLACK)).isEqualTo(Reason.MALFORMED.closeCode());
      assertThat(raw.awaitEnd(TCP_END)).isTrue();
    }
    bystanderKeepsItsSession();
  }

  @Test
  void oversizedFrames_refusedFrameTooLargeFromTheirHeaders() throws Exception {
    for (long announced : new long[] {65_537, 131_073, 1L << 40}) {
      try (RawWebSocket raw = raw()) {
        raw.upgrade("/gs", "");
        raw.send(RawWebSocket.header(0x82, announced, new byte[16]));
        assertThat(raw.awaitClose(SLACK))
            .as("announcing " + announced)
            .isEqualTo(Reason.FRAME_TOO_LARGE.closeCode());
        assertThat(raw.awaitEnd(TCP_END)).isTrue();
      }
    }
    try (RawWebSocket raw = raw()) {
      raw.upgrade("/gs", "");
      // Fragments that add up past the protocol's limit.
      raw.send(RawWebSocket.frame(0x02, new byte[40_000]));
      raw.send(RawWebSocket.header(0x80, 30_000, new byte[0]));
      assertThat(raw.awaitClose(SLACK)).isEqualTo(Reason.FRAME_TOO_LARGE.closeCode());
    }
    bystanderKeepsItsSession();
  }

  @Test
  void upgradeRequestWithABodyNeverSent_408AtTheUpgradeTimeout() throws Exception {
    try (RawWebSocket raw = raw()) {
      long start = System.nanoTime();
      raw.send(RawWebSocket.upgradeRequest("/gs", "Content-Length: 8000\r\n"));
      assertThat(raw.readHead()).startsWith("HTTP/1.1 408 ");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(UPGRADE_TIMEOUT.plus(SLACK));
    }
    try (RawWebSocket raw = raw()) {
      // Whitespace before the request line does not end the head.
      raw.send(
          " \r\n\r\nGET /gs HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(raw.readHead()).startsWith("HTTP/1.1 408 ");
    }
    bystanderKeepsItsSession();
  }

  @Test
  void trickledFrame_closedAtTheBindTimeout_tcpEndsWithinTheGrace() throws Exception {
    try (RawWebSocket raw = raw()) {
      long start = System.nanoTime();
      raw.upgrade("/gs", "");
      byte[] join = RawWebSocket.frame(0x82, new byte[300]);
      raw.send(Arrays.copyOf(join, 10));
      // One byte every 100 ms: each arrives well within any idle timeout.
      Thread trickle = raw.trickle(join, 10, Duration.ofMillis(100));
      assertThat(raw.awaitClose(BIND_TIMEOUT.plus(SLACK)))
          .isEqualTo(Reason.UNEXPECTED_TYPE.closeCode());
      assertThat(raw.awaitEnd(TCP_END)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(BIND_TIMEOUT.plus(GRACE).plus(SLACK));
      trickle.interrupt();
    }
    bystanderKeepsItsSession();
  }

  @Test
  void trickledUpgradeRequest_answered408AtTheUpgradeTimeout() throws Exception {
    try (RawWebSocket raw = raw()) {
      long start = System.nanoTime();
      byte[] request = RawWebSocket.upgradeRequest("/gs", "");
      Thread trickle = raw.trickle(request, 0, Duration.ofMillis(50));
      assertThat(raw.readHead()).startsWith("HTTP/1.1 408 ");
      assertThat(raw.awaitEnd(TCP_END)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(UPGRADE_TIMEOUT)
          .isLessThan(UPGRADE_TIMEOUT.plus(SLACK));
      trickle.interrupt();
    }
    bystanderKeepsItsSession();
  }

  @Test
  void connectionsBeyondThePerSourceLimit_closedAtTheAccept() throws Exception {
    InetAddress source = InetAddress.getByName("127.0.0.3");
    List<RawWebSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < PER_SOURCE; i++) {
        RawWebSocket raw = RawWebSocket.connect("127.0.0.1", http.getPort(), source);
        held.add(raw);
        assertThat(raw.upgrade("/gs", "")).startsWith("HTTP/1.1 101 ");
      }
      try (RawWebSocket over = RawWebSocket.connect("127.0.0.1", http.getPort(), source)) {
        assertThat(over.awaitEnd(SLACK)).as("closed at the accept").isTrue();
      }
      // Another source is not affected.
      try (RawWebSocket other =
          RawWebSocket.connect("127.0.0.1", http.getPort(), InetAddress.getByName("127.0.0.4"))) {
        assertThat(other.upgrade("/gs", "")).startsWith("HTTP/1.1 101 ");
      }
    } finally {
      for (RawWebSocket raw : held) {
        raw.close();
      }
    }
    bystanderKeepsItsSession();
  }
}
