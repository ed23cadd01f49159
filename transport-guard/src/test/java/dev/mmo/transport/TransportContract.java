package dev.mmo.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The transport rules of docs/protocol.md section 1.1, as one set of tests that each server's own
 * test class runs against the real server: every attack closes only its connection, with its code,
 * in its time, and a bystander the subclass keeps connected is unaffected.
 */
public abstract class TransportContract {
  /** The guard's closing grace, and the WebSocket stack's closing handshake. */
  protected static final Duration GRACE = Duration.ofSeconds(1);

  /** What a loaded 2-core machine may add to a deadline. */
  protected static final Duration SLACK = Duration.ofMillis(1_500);

  /** The TCP connection ends this soon after the server's Close frame or answer. */
  protected static final Duration TCP_END = GRACE.plusMillis(900);

  /** The server's port. */
  protected abstract int port();

  /** The WebSocket path: {@code /play} or {@code /gs}. */
  protected abstract String path();

  /** The longest message the server takes on this path. */
  protected abstract int maxMessageBytes();

  /** The server's upgrade timeout in this test. */
  protected abstract Duration upgradeTimeout();

  /** The time an upgraded connection has for its first message (hello or bind timeout). */
  protected abstract Duration firstMessageTimeout();

  /** Fails unless the bystander is still served as before. */
  protected abstract void bystanderUnaffected() throws Exception;

  protected RawWebSocket connect() throws IOException {
    return RawWebSocket.connect("127.0.0.1", port());
  }

  protected RawWebSocket upgraded() throws IOException {
    RawWebSocket raw = connect();
    assertThat(raw.upgrade(path(), "")).startsWith("HTTP/1.1 101 ");
    return raw;
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  @Test
  void upgrade_offeringCompression_noExtensionAccepted() throws Exception {
    try (RawWebSocket raw = connect()) {
      String head =
          raw.upgrade(
              path(),
              "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                  + "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n");
      assertThat(head).startsWith("HTTP/1.1 101 ");
      assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("sec-websocket-extensions");
    }
  }

  @Test
  void compressedMessage_refusedMalformedFromItsHeader_nothingInflated() throws Exception {
    try (RawWebSocket raw = connect()) {
      raw.upgrade(path(), "Sec-WebSocket-Extensions: permessage-deflate\r\n");
      // 60 MB of zeros in under 64 KiB, RSV1 set: what a client that believed in the extension
      // sends.
      byte[] bomb = RawWebSocket.deflateBomb(60_000_000);
      assertThat(bomb.length).isLessThan(65_536);
      long start = System.nanoTime();
      raw.send(RawWebSocket.frame(0xC2, bomb));
      assertThat(raw.awaitClose(SLACK)).isEqualTo(Reason.MALFORMED.closeCode());
      assertThat(raw.awaitEnd(TCP_END)).isTrue();
      assertThat(since(start)).isLessThan(GRACE.plus(SLACK));
    }
    bystanderUnaffected();
  }

  @Test
  void oversizedFrames_refusedFrameTooLargeFromTheirHeaders() throws Exception {
    for (long announced : new long[] {maxMessageBytes() + 1L, 65_537, 1L << 40}) {
      try (RawWebSocket raw = upgraded()) {
        // The header and a few bytes: the verdict must not wait for the payload.
        raw.send(RawWebSocket.header(0x82, announced, new byte[16]));
        assertThat(raw.awaitClose(SLACK))
            .as("announcing " + announced)
            .isEqualTo(Reason.FRAME_TOO_LARGE.closeCode());
        assertThat(raw.awaitEnd(TCP_END)).isTrue();
      }
    }
    try (RawWebSocket raw = upgraded()) {
      // Fragments that add up past the limit, each under it.
      int part = maxMessageBytes() * 3 / 5;
      raw.send(RawWebSocket.frame(0x02, new byte[part]));
      raw.send(RawWebSocket.header(0x80, part, new byte[0]));
      assertThat(raw.awaitClose(SLACK)).isEqualTo(Reason.FRAME_TOO_LARGE.closeCode());
    }
    bystanderUnaffected();
  }

  @Test
  void trickledFrame_closedAtTheFirstMessageTimeout_tcpEndsWithinTheGrace() throws Exception {
    try (RawWebSocket raw = connect()) {
      long start = System.nanoTime();
      raw.upgrade(path(), "");
      byte[] frame = RawWebSocket.frame(0x82, new byte[300]);
      raw.send(Arrays.copyOf(frame, 10));
      // One byte every 100 ms: each arrives well within any idle timeout.
      Thread trickle = raw.trickle(frame, 10, Duration.ofMillis(100));
      assertThat(raw.awaitClose(firstMessageTimeout().plus(SLACK)))
          .isEqualTo(Reason.UNEXPECTED_TYPE.closeCode());
      assertThat(raw.awaitEnd(TCP_END)).isTrue();
      assertThat(since(start)).isLessThan(firstMessageTimeout().plus(GRACE).plus(SLACK));
      trickle.interrupt();
    }
    bystanderUnaffected();
  }

  @Test
  void trickledUpgradeRequest_answered408AtTheUpgradeTimeout() throws Exception {
    try (RawWebSocket raw = connect()) {
      long start = System.nanoTime();
      Thread trickle =
          raw.trickle(RawWebSocket.upgradeRequest(path(), ""), 0, Duration.ofMillis(50));
      assertThat(raw.readHead()).startsWith("HTTP/1.1 408 ");
      assertThat(raw.awaitEnd(TCP_END)).isTrue();
      assertThat(since(start))
          .isGreaterThanOrEqualTo(upgradeTimeout())
          .isLessThan(upgradeTimeout().plus(SLACK));
      trickle.interrupt();
    }
    bystanderUnaffected();
  }

  @Test
  void upgradeKeptPending_answered408AtTheUpgradeTimeout() throws Exception {
    // A body the server would wait for, and junk before the request line: neither stops the clock.
    String[] requests = {
      new String(
          RawWebSocket.upgradeRequest(path(), "Content-Length: 8000\r\n"),
          StandardCharsets.US_ASCII),
      " \r\n\r\nGET " + path() + " HTTP/1.1\r\n"
    };
    for (String request : requests) {
      try (RawWebSocket raw = connect()) {
        long start = System.nanoTime();
        raw.send(request.getBytes(StandardCharsets.US_ASCII));
        assertThat(raw.readHead()).startsWith("HTTP/1.1 408 ");
        assertThat(since(start)).isLessThan(upgradeTimeout().plus(SLACK));
        assertThat(raw.awaitEnd(TCP_END)).isTrue();
      }
    }
    bystanderUnaffected();
  }

  @Test
  void pingFlood_rateLimited() throws Exception {
    try (RawWebSocket raw = upgraded()) {
      for (int i = 0; i < 50; i++) {
        raw.send(RawWebSocket.frame(0x89, new byte[4]));
      }
      assertThat(raw.awaitClose(SLACK)).isEqualTo(Reason.RATE_LIMITED.closeCode());
    }
    bystanderUnaffected();
  }
}
