package dev.mmo.transport;

import dev.mmo.protocol.Reason;
import io.netty.buffer.ByteBuf;

/**
 * Reads the headers of the WebSocket frames a peer sends (RFC 6455 section 5.2) as the bytes
 * arrive, and judges each frame by its header alone, before any of its payload is buffered:
 *
 * <ul>
 *   <li>RSV bits set (no extension is ever negotiated, so a compressed frame is one of these), an
 *       undefined opcode, an unmasked frame, a fragmented or over-long control frame, a
 *       continuation without a message or a new message inside a fragmented one: {@code MALFORMED};
 *   <li>a data message (all its fragments together) longer than the limit: {@code FRAME_TOO_LARGE};
 *   <li>frames faster than the frame budget, or pings faster than the ping budget: {@code
 *       RATE_LIMITED} (the server counts complete messages; empty fragments and pongs would
 *       otherwise cost it CPU at line rate).
 * </ul>
 *
 * <p>Payload bytes are only counted, never copied. After a Close frame the peer may send nothing
 * the scanner looks at: the server's WebSocket stack finishes the closing handshake. Not
 * thread-safe: one instance per connection, used on its event loop.
 */
final class FrameScanner {
  private static final int OP_CONTINUATION = 0x0;
  private static final int OP_TEXT = 0x1;
  private static final int OP_BINARY = 0x2;
  private static final int OP_CLOSE = 0x8;
  private static final int OP_PING = 0x9;
  private static final int OP_PONG = 0xA;
  private static final int MAX_CONTROL_PAYLOAD = 125;

  /** What broke the rules, and how many bytes of the scanned buffer came before that frame. */
  record Violation(Reason reason, String detail, int bytesBefore) {}

  private final int maxMessageBytes;
  private final TokenBucket frames;
  private final TokenBucket pings;
  private final byte[] header = new byte[14];
  private int headerHave;
  private long payloadLeft;
  private long messageBytes;
  private boolean inMessage;
  private boolean closed;

  FrameScanner(int maxMessageBytes, GuardSettings.Rates rates, long nowNanos) {
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException("maxMessageBytes " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
    this.frames = new TokenBucket(rates.framesPerSecond(), 2 * rates.framesPerSecond(), nowNanos);
    this.pings = new TokenBucket(rates.pingsPerSecond(), 2 * rates.pingsPerSecond(), nowNanos);
  }

  /**
   * Scans the readable bytes of {@code in} (its indices are left alone) as the continuation of
   * everything scanned before.
   *
   * @return null when every frame header so far is acceptable, else the first violation
   */
  Violation scan(ByteBuf in, long nowNanos) {
    int i = in.readerIndex();
    int end = in.writerIndex();
    int frameStart = i;
    while (i < end && !closed) {
      if (payloadLeft > 0) {
        int n = (int) Math.min(payloadLeft, end - i);
        payloadLeft -= n;
        i += n;
        continue;
      }
      if (headerHave == 0) {
        frameStart = i;
      }
      header[headerHave++] = in.getByte(i++);
      Broken broken = checkHeaderSoFar(nowNanos);
      if (broken != null) {
        return new Violation(broken.reason(), broken.detail(), frameStart - in.readerIndex());
      }
      if (headerHave == headerLength()) {
        startPayload();
      }
    }
    return null;
  }

  /** The rule the header read so far breaks, or null. Each rule is judged as soon as it can be. */
  private Broken checkHeaderSoFar(long nowNanos) {
    int b0 = header[0] & 0xFF;
    int opcode = b0 & 0x0F;
    if (headerHave == 1) {
      if (!frames.tryTake(nowNanos)) {
        return new Broken(Reason.RATE_LIMITED, "frames over their budget");
      }
      if ((b0 & 0x70) != 0) {
        return malformed("RSV bits set: no extension is negotiated");
      }
      boolean control = opcode >= OP_CLOSE;
      if (control) {
        if (opcode != OP_CLOSE && opcode != OP_PING && opcode != OP_PONG) {
          return malformed("undefined opcode " + opcode);
        }
        if ((b0 & 0x80) == 0) {
          return malformed("fragmented control frame");
        }
      } else if (opcode == OP_CONTINUATION) {
        if (!inMessage) {
          return malformed("continuation frame outside a message");
        }
      } else if (opcode == OP_TEXT || opcode == OP_BINARY) {
        if (inMessage) {
          return malformed("new message inside a fragmented one");
        }
      } else {
        return malformed("undefined opcode " + opcode);
      }
      return null;
    }
    if (headerHave == 2) {
      int b1 = header[1] & 0xFF;
      if ((b1 & 0x80) == 0) {
        return malformed("unmasked frame");
      }
      if (opcode >= OP_CLOSE && (b1 & 0x7F) > MAX_CONTROL_PAYLOAD) {
        return malformed("control frame over 125 bytes");
      }
      if (opcode == OP_PING && !pings.tryTake(nowNanos)) {
        return new Broken(Reason.RATE_LIMITED, "pings over their budget");
      }
    }
    if (headerHave == 2 + extendedLengthBytes() && opcode < OP_CLOSE) {
      long length = payloadLength();
      if (length < 0 || messageBytes + length > maxMessageBytes) {
        return new Broken(Reason.FRAME_TOO_LARGE, "message over " + maxMessageBytes + " bytes");
      }
    }
    return null;
  }

  private record Broken(Reason reason, String detail) {}

  private static Broken malformed(String detail) {
    return new Broken(Reason.MALFORMED, detail);
  }

  private void startPayload() {
    int opcode = header[0] & 0x0F;
    boolean fin = (header[0] & 0x80) != 0;
    long length = payloadLength();
    if (opcode == OP_CLOSE) {
      closed = true;
    } else if (opcode < OP_CLOSE) {
      messageBytes = fin ? 0 : messageBytes + length;
      inMessage = !fin;
    }
    payloadLeft = length;
    headerHave = 0;
  }

  private int extendedLengthBytes() {
    int len7 = header[1] & 0x7F;
    return len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
  }

  /** Header bytes of the current frame: 2, the extended length, the 4-byte mask key. */
  private int headerLength() {
    return headerHave < 2 ? 2 : 2 + extendedLengthBytes() + 4;
  }

  /** The payload length; negative for a 64-bit length with its top bit set. */
  private long payloadLength() {
    int len7 = header[1] & 0x7F;
    if (len7 < 126) {
      return len7;
    }
    long length = 0;
    for (int k = 0; k < extendedLengthBytes(); k++) {
      length = (length << 8) | (header[2 + k] & 0xFF);
    }
    return length;
  }
}
