package dev.mmo.protocol.wire;

import dev.mmo.protocol.bytes.Bytes;
import java.util.Arrays;

/** Appends big-endian fixed-width fields to a growing buffer. */
final class Writer {
  private byte[] buf;
  private int len;

  Writer(int initialCapacity) {
    buf = new byte[initialCapacity];
  }

  Writer u8(int v) {
    ensure(1);
    buf[len++] = (byte) v;
    return this;
  }

  Writer u16(int v) {
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
    return this;
  }

  Writer u32(long v) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      buf[len++] = (byte) (v >>> shift);
    }
    return this;
  }

  Writer i32(int v) {
    return u32(v & 0xFFFF_FFFFL);
  }

  Writer u64(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[len++] = (byte) (v >>> shift);
    }
    return this;
  }

  Writer bytes(Bytes b) {
    ensure(b.size());
    b.copyTo(buf, len);
    len += b.size();
    return this;
  }

  Writer raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  int length() {
    return len;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }
}
