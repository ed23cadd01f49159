package dev.mmo.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameScannerTest {
  private static final int LIMIT = 65_536;

  /** A masked client frame announcing {@code length} bytes, with {@code payloadBytes} of them. */
  static byte[] frame(int b0, long length, int payloadBytes) {
    return RawWebSocket.header(b0, length, new byte[payloadBytes]);
  }

  static byte[] binary(int length) {
    return frame(0x82, length, length);
  }

  private static FrameScanner scanner() {
    return new FrameScanner(LIMIT, new GuardSettings.Rates(200, 5), 0);
  }

  private static FrameScanner.Violation scan(FrameScanner s, byte[]... chunks) {
    for (byte[] chunk : chunks) {
      ByteBuf buf = Unpooled.wrappedBuffer(chunk);
      FrameScanner.Violation v = s.scan(buf, 0);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void scan_wellFormedFrames_passes() {
    byte[] ping = frame(0x89, 4, 4);
    byte[] pong = frame(0x8A, 0, 0);
    byte[] first = frame(0x02, 100, 100);
    byte[] last = frame(0x80, LIMIT - 100, LIMIT - 100);
    assertThat(scan(scanner(), concat(binary(0), binary(125), binary(126), binary(LIMIT))))
        .isNull();
    assertThat(scan(scanner(), concat(first, ping, pong, last, binary(10)))).isNull();
    assertThat(scan(scanner(), frame(0x81, 5, 5))).as("text frames are the server's").isNull();
  }

  @Test
  void scan_headerSplitByteByByte_judgedTheSame() {
    byte[] stream = concat(binary(300), binary(70_000));
    FrameScanner s = scanner();
    FrameScanner.Violation v = null;
    for (byte b : stream) {
      v = s.scan(Unpooled.wrappedBuffer(new byte[] {b}), 0);
      if (v != null) {
        break;
      }
    }
    assertThat(v).isNotNull();
    assertThat(v.reason()).isEqualTo(Reason.FRAME_TOO_LARGE);
  }

  @Test
  void scan_brokenHeaders_refusedWithTheirReason() {
    record Case(String name, byte[] bytes, Reason expect) {}
    byte[] unmasked = binary(3);
    unmasked[1] &= 0x7F;
    List<Case> cases =
        List.of(
            new Case("compressed (RSV1)", frame(0xC2, 10, 10), Reason.MALFORMED),
            new Case("RSV2", frame(0xA2, 10, 10), Reason.MALFORMED),
            new Case("RSV3", frame(0x92, 10, 10), Reason.MALFORMED),
            new Case("opcode 3", frame(0x83, 1, 1), Reason.MALFORMED),
            new Case("opcode 11", frame(0x8B, 1, 1), Reason.MALFORMED),
            new Case("unmasked", unmasked, Reason.MALFORMED),
            new Case("fragmented ping", frame(0x09, 1, 1), Reason.MALFORMED),
            new Case("ping of 126", frame(0x89, 126, 126), Reason.MALFORMED),
            new Case("lone continuation", frame(0x80, 1, 1), Reason.MALFORMED),
            new Case(
                "message inside a message",
                concat(frame(0x02, 1, 1), frame(0x82, 1, 1)),
                Reason.MALFORMED),
            new Case("one byte over", frame(0x82, LIMIT + 1, 0), Reason.FRAME_TOO_LARGE),
            new Case("2^63 and more", frame(0x82, Long.MIN_VALUE, 0), Reason.FRAME_TOO_LARGE),
            new Case(
                "fragments over",
                concat(frame(0x02, 40_000, 40_000), frame(0x80, 30_000, 0)),
                Reason.FRAME_TOO_LARGE));
    List<String> failures = new ArrayList<>();
    for (Case c : cases) {
      FrameScanner.Violation v = scan(scanner(), c.bytes());
      if (v == null || v.reason() != c.expect()) {
        failures.add(c.name() + ": " + v);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void scan_oversizedHeader_judgedBeforeAnyPayload() {
    // Only the 14 header bytes: the verdict needs none of the announced megabytes.
    FrameScanner.Violation v = scan(scanner(), frame(0x82, 50_000_000, 0));
    assertThat(v.reason()).isEqualTo(Reason.FRAME_TOO_LARGE);
  }

  @Test
  void scan_violationAfterGoodFrames_countsTheBytesBefore() {
    byte[] good = concat(binary(10), binary(200));
    FrameScanner.Violation v = scan(scanner(), concat(good, frame(0xC2, 5, 5)));
    assertThat(v.bytesBefore()).isEqualTo(good.length);
  }

  @Test
  void scan_pingsOverBudget_rateLimited() {
    FrameScanner s = scanner();
    byte[] ping = frame(0x89, 0, 0);
    for (int k = 0; k < 10; k++) {
      assertThat(s.scan(Unpooled.wrappedBuffer(ping), 0)).isNull();
    }
    assertThat(s.scan(Unpooled.wrappedBuffer(ping), 0).reason()).isEqualTo(Reason.RATE_LIMITED);
  }

  @Test
  void scan_framesOverBudget_rateLimited() {
    // Empty continuation fragments cost the server a frame each and never complete a message.
    FrameScanner s = scanner();
    assertThat(s.scan(Unpooled.wrappedBuffer(frame(0x02, 0, 0)), 0)).isNull();
    for (int k = 1; k < 400; k++) {
      assertThat(s.scan(Unpooled.wrappedBuffer(frame(0x00, 0, 0)), 0)).isNull();
    }
    assertThat(s.scan(Unpooled.wrappedBuffer(frame(0x00, 0, 0)), 0).reason())
        .isEqualTo(Reason.RATE_LIMITED);
  }

  @Test
  void tokenBucket_refillsAtItsRate() {
    TokenBucket bucket = new TokenBucket(5, 1, 0);
    assertThat(bucket.tryTake(0)).isTrue();
    assertThat(bucket.tryTake(100_000_000L)).isFalse();
    assertThat(bucket.tryTake(400_000_000L)).isTrue();
    assertThat(bucket.tryTake(500_000_000L)).isFalse();
  }

  @Test
  void scan_afterClose_looksNoFurther() {
    FrameScanner s = scanner();
    assertThat(scan(s, concat(frame(0x88, 2, 2), frame(0xC2, 1, 1)))).isNull();
  }
}
