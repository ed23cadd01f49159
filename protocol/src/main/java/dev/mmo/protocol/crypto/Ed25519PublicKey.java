package dev.mmo.protocol.crypto;

import dev.mmo.protocol.bytes.Bytes;

/**
 * An Ed25519 public key as it travels on the wire: 32 bytes (RFC 8032, section 5.1.5).
 *
 * <p>Only the length is checked here; whether the bytes are a valid, full-order point is checked
 * once, when an {@link Ed25519Verifier} is made for the key.
 */
public record Ed25519PublicKey(Bytes bytes) implements Comparable<Ed25519PublicKey> {
  public static final int LENGTH = 32;

  public Ed25519PublicKey {
    Bytes.requireLength(bytes, LENGTH, "Ed25519 public key");
  }

  public static Ed25519PublicKey of(byte[] value) {
    return new Ed25519PublicKey(Bytes.copyOf(value));
  }

  public static Ed25519PublicKey fromHex(String hex) {
    return new Ed25519PublicKey(Bytes.fromHex(hex));
  }

  public String hex() {
    return bytes.hex();
  }

  @Override
  public int compareTo(Ed25519PublicKey other) {
    return bytes.compareTo(other.bytes);
  }

  @Override
  public String toString() {
    return "Ed25519PublicKey[" + bytes.hex() + "]";
  }
}
