package dev.mmo.protocol.crypto;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Verification with one Ed25519 public key, decoded and validated once.
 *
 * <p>The key must be a canonical encoding of a point of full order: small-order and non-canonical
 * keys are refused up front with {@link Reason#BAD_KEY}. Keeping the decoded point saves the point
 * decompression on every verification, which matters on the game server's input path.
 */
public final class Ed25519Verifier {
  private final Ed25519PublicKey key;
  private final Ed25519.PublicPoint point;

  private Ed25519Verifier(Ed25519PublicKey key, Ed25519.PublicPoint point) {
    this.key = key;
    this.point = point;
  }

  /**
   * A verifier for {@code key}.
   *
   * @throws Rejection with {@link Reason#BAD_KEY} when the key is not a valid full-order point
   */
  public static Ed25519Verifier of(Ed25519PublicKey key) throws Rejection {
    byte[] encoded = key.bytes().toByteArray();
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(encoded, 0);
    if (point == null) {
      throw new Rejection(Reason.BAD_KEY, "not a valid Ed25519 public key: " + key.hex());
    }
    return new Ed25519Verifier(key, point);
  }

  public Ed25519PublicKey key() {
    return key;
  }

  /** Whether {@code signature} is a valid signature of {@code message[offset, offset+length)}. */
  public boolean verify(byte[] message, int offset, int length, Ed25519Signature signature) {
    return Ed25519.verify(signature.bytes().toByteArray(), 0, point, message, offset, length);
  }

  /** Whether {@code signature} is a valid signature of all of {@code message}. */
  public boolean verify(byte[] message, Ed25519Signature signature) {
    return verify(message, 0, message.length, signature);
  }
}
