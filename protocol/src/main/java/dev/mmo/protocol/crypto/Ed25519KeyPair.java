package dev.mmo.protocol.crypto;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key (its 32-byte seed) with its public key, signing through BouncyCastle's
 * lightweight RFC 8032 implementation (about 20 times faster here than the JDK's SunEC).
 */
public final class Ed25519KeyPair {
  public static final int SEED_LENGTH = 32;

  private final byte[] seed;
  private final byte[] publicKeyBytes;
  private final Ed25519PublicKey publicKey;

  private Ed25519KeyPair(byte[] seed) {
    this.seed = seed;
    this.publicKeyBytes = new byte[Ed25519PublicKey.LENGTH];
    Ed25519.generatePublicKey(seed, 0, publicKeyBytes, 0);
    this.publicKey = Ed25519PublicKey.of(publicKeyBytes);
  }

  /** A fresh key from {@code random}. */
  public static Ed25519KeyPair generate(SecureRandom random) {
    byte[] seed = new byte[SEED_LENGTH];
    Ed25519.generatePrivateKey(requireNonNull(random, "random"), seed);
    return new Ed25519KeyPair(seed);
  }

  /** The key whose RFC 8032 private key is {@code seed}; the array is copied. */
  public static Ed25519KeyPair fromSeed(byte[] seed) {
    if (seed.length != SEED_LENGTH) {
      throw new IllegalArgumentException("Ed25519 seed must be 32 bytes, got " + seed.length);
    }
    return new Ed25519KeyPair(seed.clone());
  }

  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  /** A copy of the 32-byte seed, for writing the key to a protected file. */
  public byte[] seed() {
    return seed.clone();
  }

  /** Pure Ed25519 over {@code message}; callers prepend the domain label. */
  public Ed25519Signature sign(byte[] message) {
    byte[] signature = new byte[Ed25519Signature.LENGTH];
    Ed25519.sign(seed, 0, publicKeyBytes, 0, message, 0, message.length, signature, 0);
    return Ed25519Signature.of(signature);
  }

  /** Overwrites the seed; the key cannot sign afterwards. */
  public void destroy() {
    Arrays.fill(seed, (byte) 0);
  }

  @Override
  public String toString() {
    return "Ed25519KeyPair[public=" + publicKey.hex() + "]";
  }
}
