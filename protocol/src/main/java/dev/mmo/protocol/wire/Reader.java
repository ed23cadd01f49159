package dev.mmo.protocol.wire;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.bytes.Bytes;
import java.util.Arrays;

/** Reads big-endian fixed-width fields, rejecting any read past the end. */
final class Reader {
  private final byte[] buf;
  private final int end;
  private int pos;

  Reader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  int u8() throws Rejection {
    need(1);
    return buf[pos++] & 0xFF;
  }

  int u16() throws Rejection {
    need(2);
    int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  long u32() throws Rejection {
    return i32() & 0xFFFF_FFFFL;
  }

  int i32() throws Rejection {
    need(4);
    int v =
        ((buf[pos] & 0xFF) << 24)
            | ((buf[pos + 1] & 0xFF) << 16)
            | ((buf[pos + 2] & 0xFF) << 8)
            | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  /** An unsigned 64-bit field whose top bit must be clear, so it fits a Java long. */
  long u63(String field) throws Rejection {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos + i] & 0xFF);
    }
    if (v < 0) {
      throw new Rejection(Reason.VALUE_OUT_OF_RANGE, field + " exceeds 2^63-1");
    }
    pos += 8;
    return v;
  }

  Bytes fixed(int n) throws Rejection {
    need(n);
    Bytes b = Bytes.copyOf(buf, pos, n);
    pos += n;
    return b;
  }

  /** The next {@code n} bytes as a fresh array. */
  byte[] raw(int n) throws Rejection {
    need(n);
    byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return b;
  }

  void expectEnd() throws Rejection {
    if (pos != end) {
      throw new Rejection(Reason.TRAILING_BYTES, (end - pos) + " bytes after the message");
    }
  }

  private void need(int n) throws Rejection {
    if (end - pos < n) {
      throw new Rejection(
          Reason.TRUNCATED, "needed " + n + " bytes at offset " + pos + ", have " + (end - pos));
    }
  }
}
