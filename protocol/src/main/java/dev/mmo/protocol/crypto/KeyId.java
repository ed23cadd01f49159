package dev.mmo.protocol.crypto;

import dev.mmo.protocol.bytes.Bytes;

/**
 * Names a VS signing key: SHA-256 of the key's DER SubjectPublicKeyInfo (as RFC 6962 names a log).
 * Lets the VS rotate keys while clients pin a set of trusted keys.
 */
public record KeyId(Bytes bytes) {
  public static final int LENGTH = 32;

  public KeyId {
    Bytes.requireLength(bytes, LENGTH, "key id");
  }

  public static KeyId fromHex(String hex) {
    return new KeyId(Bytes.fromHex(hex));
  }

  public String hex() {
    return bytes.hex();
  }

  @Override
  public String toString() {
    return "KeyId[" + bytes.hex() + "]";
  }
}
