package dev.mmo.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestHeadTest {
  private static int read(RequestHead head, String bytes) {
    return head.read(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
  }

  @Test
  void read_upgradeHead_completeAndAsksForWebSocket() {
    RequestHead head = new RequestHead();
    assertThat(read(head, "GET /gs HTTP/1.1\r\nUpgrade: WebSocket\r\n")).isEqualTo(-1);
    assertThat(read(head, "\r\nabc")).isEqualTo(3);
    assertThat(head.complete()).isTrue();
    assertThat(head.asksForWebSocket()).isTrue();
  }

  @Test
  void read_plainHead_doesNotAskForWebSocket() {
    RequestHead head = new RequestHead();
    assertThat(read(head, "GET /x HTTP/1.1\nHost: websocket\nX-Upgrade: websocket\n\n")).isZero();
    assertThat(head.asksForWebSocket()).isFalse();
  }

  @Test
  void read_leadingWhitespaceAndControls_skippedLikeTheDecoder() {
    RequestHead head = new RequestHead();
    assertThat(read(head, "\u0000\u0001 \t\r\n\r\n\n")).isEqualTo(-1);
    assertThat(head.complete()).isFalse();
    assertThat(read(head, "GET / HTTP/1.1\r\n\r\n")).isZero();
    assertThat(head.complete()).isTrue();
  }
}
