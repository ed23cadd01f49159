package dev.mmo.protocol.bytes;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * An immutable byte string with equality by content.
 *
 * <p>Arrays are copied in and out, so a record holding {@code Bytes} is truly immutable. Equality
 * here is not constant-time: compare secrets with {@link java.security.MessageDigest#isEqual}.
 */
public final class Bytes implements Comparable<Bytes> {
  private static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] value;

  private Bytes(byte[] value) {
    this.value = value;
  }

  /** A copy of {@code value}. */
  public static Bytes copyOf(byte[] value) {
    return value.length == 0 ? EMPTY : new Bytes(value.clone());
  }

  /** A copy of {@code length} bytes of {@code value} from {@code offset}. */
  public static Bytes copyOf(byte[] value, int offset, int length) {
    return new Bytes(Arrays.copyOfRange(value, offset, offset + length));
  }

  /** {@code length} zero bytes. */
  public static Bytes zeros(int length) {
    return new Bytes(new byte[length]);
  }

  /** {@code length} bytes from {@code random}. */
  public static Bytes random(SecureRandom random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return new Bytes(b);
  }

  /**
   * {@code bytes} itself, after checking it is not null and exactly {@code length} long: the
   * validation of every fixed-size byte type.
   *
   * @throws IllegalArgumentException naming {@code what} when the length differs
   */
  public static Bytes requireLength(Bytes bytes, int length, String what) {
    if (bytes == null) {
      throw new NullPointerException(what);
    }
    if (bytes.size() != length) {
      throw new IllegalArgumentException(
          what + " must be " + length + " bytes, got " + bytes.size());
    }
    return bytes;
  }

  /** Parses lowercase or uppercase hex with no separators. */
  public static Bytes fromHex(String hex) {
    return new Bytes(Hex.decode(hex));
  }

  public int size() {
    return value.length;
  }

  public byte get(int index) {
    return value[index];
  }

  /** A fresh copy of the content. */
  public byte[] toByteArray() {
    return value.clone();
  }

  /** Copies the content into {@code target} at {@code offset}. */
  public void copyTo(byte[] target, int offset) {
    System.arraycopy(value, 0, target, offset, value.length);
  }

  /** Feeds the content to {@code digest} without copying it. */
  public void updateDigest(MessageDigest digest) {
    digest.update(value);
  }

  public String hex() {
    return Hex.encode(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  /** Unsigned lexicographic order, the order the wire format sorts by. */
  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(value, other.value);
  }

  @Override
  public String toString() {
    return hex();
  }
}
