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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionGuardTest {
  private static final String HEAD =
      "GET /play HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
  private static final String SWITCHING =
      "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n";

  private final List<String> events = new ArrayList<>();
  private EmbeddedChannel channel;

  @BeforeEach
  void setUp() {
    GuardListener listener =
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
        };
    channel = new EmbeddedChannel();
    channel.freezeTime();
    channel
        .pipeline()
        .addFirst(new ConnectionGuard(GuardSettings.of(Duration.ofSeconds(5)), listener));
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

  private void advance(long millis) {
    channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    channel.runPendingTasks();
  }

  @Test
  void trickledHead_closedWith408AtTheUpgradeTimeout() {
    for (int i = 0; i < 40; i++) {
      channel.writeInbound(ascii(HEAD.substring(i, i + 1)));
      advance(100);
    }
    assertThat(channel.isOpen()).isTrue();
    advance(1_000);
    assertThat(written()).startsWith("HTTP/1.1 408 ");
    assertThat(channel.isOpen()).isFalse();
    assertThat(events).containsExactly("upgrade-timeout");
  }

  @Test
  void leadingBlankLines_doNotEndTheHead() {
    channel.writeInbound(ascii("\r\n\r\n\n\n"));
    advance(5_000);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void completeHead_stopsTheUpgradeClock() {
    channel.writeInbound(ascii(HEAD));
    advance(10_000);
    assertThat(channel.isOpen()).isTrue();
    assertThat(events).isEmpty();
  }

  @Test
  void lfOnlyHead_countsAsComplete() {
    channel.writeInbound(ascii("GET /play HTTP/1.1\nHost: x\n\n"));
    advance(10_000);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void oversizedFrameAfterUpgrade_closedWith4009AndTheConnectionEnds() {
    channel.writeInbound(ascii(HEAD));
    channel.writeOutbound(ascii(SWITCHING));
    assertThat(written()).isEqualTo(SWITCHING);
    byte[] good = FrameScannerTest.binary(10);
    byte[] tooLarge = FrameScannerTest.frame(0x82, 70_000, 0);
    byte[] both = new byte[good.length + tooLarge.length];
    System.arraycopy(good, 0, both, 0, good.length);
    System.arraycopy(tooLarge, 0, both, good.length, tooLarge.length);
    channel.writeInbound(Unpooled.wrappedBuffer(both));

    ByteBuf head = channel.readInbound();
    head.release();
    ByteBuf passed = channel.readInbound();
    assertThat(passed.readableBytes()).as("the good frame goes on").isEqualTo(good.length);
    passed.release();
    assertThat((Object) channel.readInbound()).isNull();
    String close = written();
    assertThat(close.charAt(0)).isEqualTo((char) 0x88);
    assertThat((close.charAt(2) << 8) | close.charAt(3)).isEqualTo(4009);
    assertThat(close.substring(4)).isEqualTo("FRAME_TOO_LARGE");
    assertThat(events).containsExactly("FRAME_TOO_LARGE");

    // Nothing more in, nothing more out from the server; the TCP connection ends after the grace.
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[100]));
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.writeOneOutbound(ascii("late")).isSuccess()).isFalse();
    assertThat(channel.isOpen()).isTrue();
    advance(1_000);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void bytesBeforeThe101_refusedMalformed() {
    channel.writeInbound(ascii(HEAD + "x"));
    channel.writeOutbound(ascii(SWITCHING));
    String out = written();
    assertThat(out).startsWith(SWITCHING);
    assertThat(events).containsExactly("MALFORMED");
  }

  @Test
  void switchToH2c_isPlainHttpNotWebSocket() {
    channel.writeInbound(
        ascii("POST /api/x HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n"));
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
            ConnectionGuard.upgradesToWebSocket(
                ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\n\r\n")))
        .isTrue();
    assertThat(
            ConnectionGuard.upgradesToWebSocket(
                ascii("HTTP/1.1 101 Switching Protocols\r\nupgrade: h2c\r\n\r\n")))
        .isFalse();
  }

  @Test
  void plainHttpResponse_leavesTheConnectionToTheServer() {
    channel.writeInbound(ascii("GET /x HTTP/1.1\r\nHost: x\r\n\r\n"));
    channel.writeOutbound(ascii("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"));
    // Bytes of a next request are not WebSocket frames.
    channel.writeInbound(ascii("GET /y HTTP/1.1\r\n"));
    advance(60_000);
    assertThat(channel.isOpen()).isTrue();
    assertThat(events).isEmpty();
  }

  @Test
  void plainHttpOnAnUpgradeOnlyPort_answeredThenClosedAfterTheGrace() {
    EmbeddedChannel only = new EmbeddedChannel();
    only.freezeTime();
    only.pipeline()
        .addFirst(
            new ConnectionGuard(
                GuardSettings.upgradeOnly(Duration.ofSeconds(5), 1024),
                new GuardListener() {
                  @Override
                  public void refused(Reason reason, String detail, SocketAddress peer) {}

                  @Override
                  public void upgradeTimedOut(SocketAddress peer) {}

                  @Override
                  public void overSourceLimit(SourceLimits.Verdict verdict, String source) {}
                }));
    only.writeInbound(ascii("GET /x HTTP/1.1\r\nHost: x\r\n\r\n"));
    ((ByteBuf) only.readInbound()).release();
    only.writeOutbound(ascii("HTTP/1.1 404 Not Found\r\n"), ascii("content-length: 0\r\n\r\n"));
    assertThat(only.outboundMessages()).hasSize(2);
    only.writeInbound(ascii("GET /y HTTP/1.1\r\n"));
    assertThat((Object) only.readInbound()).as("nothing more is read").isNull();
    assertThat(only.isOpen()).isTrue();
    only.advanceTimeBy(1, TimeUnit.SECONDS);
    only.runScheduledPendingTasks();
    assertThat(only.isOpen()).isFalse();
    only.finishAndReleaseAll();
  }

  @Test
  void messageOverASmallerLimit_refusedFromItsHeader() {
    EmbeddedChannel small = new EmbeddedChannel();
    List<String> refused = new ArrayList<>();
    small
        .pipeline()
        .addFirst(
            new ConnectionGuard(
                GuardSettings.upgradeOnly(Duration.ofSeconds(5), 1024),
                new GuardListener() {
                  @Override
                  public void refused(Reason reason, String detail, SocketAddress peer) {
                    refused.add(reason.name());
                  }

                  @Override
                  public void upgradeTimedOut(SocketAddress peer) {}

                  @Override
                  public void overSourceLimit(SourceLimits.Verdict verdict, String source) {}
                }));
    small.writeInbound(ascii(HEAD));
    small.writeOutbound(ascii(SWITCHING));
    small.writeInbound(Unpooled.wrappedBuffer(FrameScannerTest.frame(0x82, 1025, 0)));
    assertThat(refused).containsExactly("FRAME_TOO_LARGE");
    small.finishAndReleaseAll();
  }
}
