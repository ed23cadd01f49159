package dev.mmo.protocol.crypto;

import dev.mmo.protocol.bytes.Bytes;

/** An Ed25519 signature: 64 bytes, R || S (RFC 8032, section 5.1.6). */
public record Ed25519Signature(Bytes bytes) {
  public static final int LENGTH = 64;

  public Ed25519Signature {
    Bytes.requireLength(bytes, LENGTH, "Ed25519 signature");
  }

  public static Ed25519Signature of(byte[] value) {
    return new Ed25519Signature(Bytes.copyOf(value));
  }

  @Override
  public String toString() {
    return "Ed25519Signature[" + bytes.hex() + "]";
  }
}
