package dev.mmo.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionGuardTest {
  private static final String UPGRADE =
      "GET /play HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
  private static final String SWITCHING =
      "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n";
  private static final String PLAIN = "GET /x HTTP/1.1\r\nHost: x\r\n\r\n";
  private static final String NOT_FOUND = "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n";

  /** What the guard told its server. */
  private final List<String> events = new ArrayList<>();

  private final GuardListener listener =
      new GuardListener() {
        @Override
        public void refused(Reason reason, String detail, SocketAddress peer) {
          events.add(reason.name());
        }

        @Override
        public void upgradeTimedOut(SocketAddress peer) {
          events.add("upgrade-timeout");
        }

        @Override
        public void overSourceLimit(SourceLimits.Verdict verdict, String source) {
          events.add(verdict.name());
        }

        @Override
        public void requestTimedOut(SocketAddress peer) {
          events.add("request-timeout");
        }
      };

  /** The body a port that answers problem documents gives its refusals. */
  private static final Refusals PROBLEMS =
      (status, phrase) ->
          new Refusals.Body(
              "application/problem+json",
              ("{\"status\":" + status + ",\"title\":\"" + phrase + "\"}")
                  .getBytes(StandardCharsets.US_ASCII));

  private EmbeddedChannel channel;

  /** A connection guarded with {@code settings}, on a frozen clock. */
  private EmbeddedChannel guarded(GuardSettings settings) {
    channel = new EmbeddedChannel();
    channel.freezeTime();
    channel.pipeline().addFirst(new ConnectionGuard(settings, listener));
    return channel;
  }

  /** A port that also serves plain HTTP (the VS's), a 5 s upgrade timeout. */
  private EmbeddedChannel shared() {
    return guarded(GuardSettings.of(Duration.ofSeconds(5)));
  }

  /** A port that serves only upgrades (the GS's), messages of at most 1,024 bytes. */
  private EmbeddedChannel upgradeOnly() {
    return guarded(GuardSettings.upgradeOnly(Duration.ofSeconds(5), 1024));
  }

  @AfterEach
  void release() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  private String written() {
    StringBuilder out = new StringBuilder();
    for (Object o; (o = channel.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) o;
      out.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return out.toString();
  }

  private int passedInbound() {
    int bytes = 0;
    for (Object o; (o = channel.readInbound()) != null; ) {
      bytes += ((ByteBuf) o).readableBytes();
      ((ByteBuf) o).release();
    }
    return bytes;
  }

  private void advance(long millis) {
    channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    channel.runPendingTasks();
  }

  private void upgraded() {
    channel.writeInbound(ascii(UPGRADE));
    channel.writeOutbound(ascii(SWITCHING));
    assertThat(written()).isEqualTo(SWITCHING);
    passedInbound();
  }

  @Test
  void trickledHead_answered408AtTheUpgradeTimeout() {
    shared();
    for (int i = 0; i < 40; i++) {
      channel.writeInbound(ascii(UPGRADE.substring(i, i + 1)));
      advance(100);
    }
    assertThat(channel.isOpen()).isTrue();
    advance(1_000);
    assertThat(written()).startsWith("HTTP/1.1 408 ");
    assertThat(channel.isOpen()).isFalse();
    assertThat(events).containsExactly("upgrade-timeout");
  }

  @Test
  void whitespaceAndBlankLinesBeforeTheRequestLine_doNotEndTheHead() {
    shared();
    channel.writeInbound(ascii(" \r\n\r\n\n\n\t\n"));
    channel.writeInbound(ascii("GET /x HTTP/1.1\r\n"));
    advance(5_000);
    assertThat(written()).startsWith("HTTP/1.1 408 ");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void upgradeRequestNeverAnswered_408AtTheUpgradeTimeout() {
    // A complete head with a body the server waits for: the clock runs until the answer.
    shared();
    channel.writeInbound(ascii(UPGRADE.replace("\r\n\r\n", "\r\nContent-Length: 8000\r\n\r\n")));
    advance(4_900);
    assertThat(channel.isOpen()).isTrue();
    advance(100);
    assertThat(written()).startsWith("HTTP/1.1 408 ");
  }

  @Test
  void plainRequestHeadComplete_stopsTheClockOnASharedPort() {
    shared();
    channel.writeInbound(ascii(PLAIN));
    advance(10_000);
    assertThat(channel.isOpen()).isTrue();
    assertThat(events).isEmpty();
  }

  @Test
  void lfOnlyHead_countsAsComplete() {
    shared();
    channel.writeInbound(ascii("GET /x HTTP/1.1\nHost: x\n\n"));
    advance(10_000);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void oversizedFrameAfterUpgrade_closedWith4009AndTheConnectionEnds() {
    shared();
    upgraded();
    byte[] good = FrameScannerTest.binary(10);
    byte[] tooLarge = FrameScannerTest.frame(0x82, 70_000, 0);
    byte[] both = new byte[good.length + tooLarge.length];
    System.arraycopy(good, 0, both, 0, good.length);
    System.arraycopy(tooLarge, 0, both, good.length, tooLarge.length);
    channel.writeInbound(Unpooled.wrappedBuffer(both));

    assertThat(passedInbound()).as("the good frame goes on").isEqualTo(good.length);
    String close = written();
    assertThat(close.charAt(0)).isEqualTo((char) 0x88);
    assertThat((close.charAt(2) << 8) | close.charAt(3)).isEqualTo(4009);
    assertThat(close.substring(4)).isEqualTo("FRAME_TOO_LARGE");
    assertThat(events).containsExactly("FRAME_TOO_LARGE");

    // Nothing more in, nothing more out from the server; the TCP connection ends after the grace.
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[100]));
    assertThat(passedInbound()).isZero();
    assertThat(channel.writeOneOutbound(ascii("late")).isSuccess()).isFalse();
    assertThat(channel.isOpen()).isTrue();
    advance(1_000);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void bytesBeforeThe101_refusedMalformedAfterIt() {
    shared();
    channel.writeInbound(ascii(UPGRADE + "x"));
    channel.writeOutbound(ascii(SWITCHING));
    assertThat(written()).startsWith(SWITCHING);
    assertThat(events).containsExactly("MALFORMED");
  }

  @Test
  void upgradeAfterAPlainRequestOnTheSameConnection_refusedMalformed() {
    shared();
    channel.writeInbound(ascii(PLAIN));
    channel.writeOutbound(ascii("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"));
    channel.writeInbound(ascii(UPGRADE));
    channel.writeOutbound(ascii(SWITCHING));
    assertThat(events).containsExactly("MALFORMED");
  }

  @Test
  void nextRequestOnASharedPort_answeredWithinTheRequestTimeoutOfItsFirstByte_else408() {
    shared();
    channel.writeInbound(ascii(PLAIN));
    channel.writeOutbound(ascii(NOT_FOUND));
    assertThat(written()).isEqualTo(NOT_FOUND);
    advance(60_000);
    assertThat(channel.isOpen())
        .as("idle between requests: the HTTP stack's idle timeout")
        .isTrue();
    // Bytes of a next request are not WebSocket frames; its head never completes.
    channel.writeInbound(ascii("GET /y HTTP/1.1\r\n"));
    advance(29_000);
    assertThat(channel.isOpen()).isTrue();
    assertThat(events).isEmpty();
    advance(1_000);
    assertThat(written()).startsWith("HTTP/1.1 408 ");
    assertThat(channel.isOpen()).isFalse();
    assertThat(events).containsExactly("request-timeout");
  }

  @Test
  void firstPlainRequestNeverAnswered_408AtTheRequestTimeout_howeverItsBodyTrickles() {
    shared();
    channel.writeInbound(ascii("POST /api/x HTTP/1.1\r\nContent-Length: 9000\r\n\r\n"));
    for (int i = 0; i < 29; i++) {
      advance(1_000);
      channel.writeInbound(ascii("{"));
    }
    assertThat(channel.isOpen()).isTrue();
    advance(1_000);
    assertThat(written()).startsWith("HTTP/1.1 408 ");
    assertThat(events).containsExactly("request-timeout");
  }

  @Test
  void interimAnswer_leavesTheRequestOnItsClock() {
    shared();
    channel.writeInbound(ascii("POST /x HTTP/1.1\r\nExpect: 100-continue\r\n\r\n"));
    channel.writeOutbound(ascii("HTTP/1.1 100 Continue\r\n\r\n"));
    written();
    advance(30_000);
    assertThat(written()).startsWith("HTTP/1.1 408 ");
  }

  @Test
  void answeredRequests_eachStopTheirClock() {
    shared();
    for (int i = 0; i < 5; i++) {
      channel.writeInbound(ascii(PLAIN));
      advance(20_000);
      channel.writeOutbound(ascii(NOT_FOUND));
    }
    assertThat(written()).isEqualTo(NOT_FOUND.repeat(5));
    assertThat(channel.isOpen()).isTrue();
    assertThat(events).isEmpty();
  }

  @Test
  void bareRefusal_leavesWithTheBodyOfThePort_otherFieldsKept() {
    guarded(
        GuardSettings.plainHttp(
            Duration.ofSeconds(5), new GuardSettings.PlainHttp(Duration.ofSeconds(30), PROBLEMS)));
    channel.writeInbound(ascii("GET /" + "a".repeat(100) + " HTTP/1.1\r\n"));
    channel.writeOutbound(
        ascii(
            "HTTP/1.1 414 Request-URI Too Long\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"));
    String body = "{\"status\":414,\"title\":\"Request-URI Too Long\"}";
    assertThat(written())
        .isEqualTo(
            "HTTP/1.1 414 Request-URI Too Long\r\nconnection: close\r\n"
                + "content-type: application/problem+json\r\ncontent-length: "
                + body.length()
                + "\r\n\r\n"
                + body);
  }

  @Test
  void guards408_carriesTheBodyOfThePort() {
    guarded(
        GuardSettings.plainHttp(
            Duration.ofSeconds(5), new GuardSettings.PlainHttp(Duration.ofSeconds(30), PROBLEMS)));
    advance(5_000);
    assertThat(written()).startsWith("HTTP/1.1 408 ").endsWith("\"title\":\"Request Timeout\"}");
  }

  @Test
  void answersWithABodyOrATransferCoding_leaveAsTheServerWroteThem() {
    guarded(
        GuardSettings.plainHttp(
            Duration.ofSeconds(5), new GuardSettings.PlainHttp(Duration.ofSeconds(30), PROBLEMS)));
    List<String> answers =
        List.of(
            "HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: 0\r\n\r\n",
            "HTTP/1.1 400 Bad Request\r\ntransfer-encoding: chunked\r\n\r\n",
            "HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}",
            "HTTP/1.1 404 Not Found\r\ncontent-length: 3\r\n\r\n",
            "HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n");
    for (String answer : answers) {
      channel.writeInbound(ascii(PLAIN));
      channel.writeOutbound(ascii(answer));
      assertThat(written()).isEqualTo(answer);
    }
  }

  @Test
  void switchToH2c_isPlainHttpNotWebSocket() {
    shared();
    channel.writeInbound(
        ascii("POST /api/x HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n"));
    channel.writeOutbound(
        ascii("HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: h2c\r\n\r\n"));
    // HTTP/2 frames: not WebSocket frames, so nothing is judged as one.
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 8, 6, 0, 0, 0, 0, 0}));
    assertThat(events).isEmpty();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void upgradeFieldInAnyCase_recognised() {
    assertThat(
            ResponseHead.upgradesToWebSocket(
                ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\n\r\n")))
        .isTrue();
    assertThat(
            ResponseHead.upgradesToWebSocket(
                ascii("HTTP/1.1 101 Switching Protocols\r\nupgrade: h2c\r\n\r\n")))
        .isFalse();
  }

  @Test
  void plainRequestOnAnUpgradeOnlyPort_answeredNothingMoreReadClosedAfterTheGrace() {
    upgradeOnly();
    channel.writeInbound(ascii(PLAIN));
    passedInbound();
    channel.writeOutbound(ascii("HTTP/1.1 404 Not Found\r\n"), ascii("content-length: 0\r\n\r\n"));
    assertThat(written()).isEqualTo(NOT_FOUND);
    channel.writeInbound(ascii("GET /y HTTP/1.1\r\n"));
    assertThat(passedInbound()).as("nothing more is read").isZero();
    assertThat(channel.isOpen()).isTrue();
    advance(1_000);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void plainRequestNeverAnsweredOnAnUpgradeOnlyPort_408() {
    upgradeOnly();
    channel.writeInbound(ascii("POST /x HTTP/1.1\r\nContent-Length: 9000\r\n\r\n"));
    advance(5_000);
    assertThat(written()).startsWith("HTTP/1.1 408 ");
  }

  @Test
  void messageOverASmallerLimit_refusedFromItsHeader() {
    upgradeOnly();
    upgraded();
    channel.writeInbound(Unpooled.wrappedBuffer(FrameScannerTest.frame(0x82, 1025, 0)));
    assertThat(events).containsExactly("FRAME_TOO_LARGE");
  }

  @Test
  void behindTls_theGuardMovesBehindTheTlsHandlerWithItsClock() throws Exception {
    channel = new EmbeddedChannel(false, false);
    channel.freezeTime();
    channel
        .pipeline()
        .addFirst(
            ConnectionGuard.NAME,
            new ConnectionGuard(GuardSettings.of(Duration.ofSeconds(5)), listener));
    channel
        .pipeline()
        .addLast(ConnectionGuard.TLS_HANDLER, new io.netty.channel.ChannelInboundHandlerAdapter());
    channel.register();
    assertThat(channel.pipeline().names())
        .containsSubsequence(ConnectionGuard.TLS_HANDLER, ConnectionGuard.NAME);
    assertThat(channel.pipeline().names().indexOf(ConnectionGuard.NAME))
        .isGreaterThan(channel.pipeline().names().indexOf(ConnectionGuard.TLS_HANDLER));
    advance(5_000);
    assertThat(written()).startsWith("HTTP/1.1 408 ");
  }
}
