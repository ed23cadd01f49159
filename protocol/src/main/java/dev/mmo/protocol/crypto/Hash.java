package dev.mmo.protocol.crypto;

import dev.mmo.protocol.bytes.Bytes;

/** A SHA-256 output: 32 bytes. */
public record Hash(Bytes bytes) {
  public static final int LENGTH = 32;

  /** 32 zero bytes: the receipt_tip before any input and the batch chain's first predecessor. */
  public static final Hash ZERO = new Hash(Bytes.zeros(LENGTH));

  public Hash {
    Bytes.requireLength(bytes, LENGTH, "hash");
  }

  public static Hash of(byte[] value) {
    return new Hash(Bytes.copyOf(value));
  }

  public static Hash fromHex(String hex) {
    return new Hash(Bytes.fromHex(hex));
  }

  public byte[] toByteArray() {
    return bytes.toByteArray();
  }

  public String hex() {
    return bytes.hex();
  }

  @Override
  public String toString() {
    return bytes.hex();
  }
}
