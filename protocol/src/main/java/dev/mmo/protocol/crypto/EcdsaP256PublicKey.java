package dev.mmo.protocol.crypto;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.bytes.Hex;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * A VS public key: an ECDSA P-256 point in uncompressed SEC 1 form ({@code 04 || X || Y}, 65
 * bytes), checked to lie on the curve.
 */
public final class EcdsaP256PublicKey {
  public static final int LENGTH = 65;

  /** DER SubjectPublicKeyInfo header for an uncompressed P-256 point (RFC 5480). */
  private static final byte[] SPKI_PREFIX =
      Hex.decode("3059301306072a8648ce3d020106082a8648ce3d030107034200");

  /** P-256 with BouncyCastle's own field arithmetic for it. */
  static final ECDomainParameters CURVE =
      new ECDomainParameters(CustomNamedCurves.getByName("secp256r1"));

  private final Bytes point;
  private final ECPublicKeyParameters verifyKey;
  private final KeyId keyId;

  private EcdsaP256PublicKey(Bytes point, ECPublicKeyParameters verifyKey) {
    this.point = point;
    this.verifyKey = verifyKey;
    this.keyId = new KeyId(Sha256.hash(spkiDer()).bytes());
  }

  /**
   * The key with uncompressed point {@code uncompressed}.
   *
   * @throws IllegalArgumentException when it is not 65 bytes starting 0x04 or not on the curve
   */
  public static EcdsaP256PublicKey fromUncompressedPoint(byte[] uncompressed) {
    if (uncompressed.length != LENGTH || uncompressed[0] != 0x04) {
      throw new IllegalArgumentException("not an uncompressed P-256 point");
    }
    ECPublicKeyParameters verifyKey;
    try {
      // Decoded once, for every verification: BouncyCastle refuses coordinates outside the field,
      // a point off the curve and the point at infinity.
      verifyKey = new ECPublicKeyParameters(CURVE.getCurve().decodePoint(uncompressed), CURVE);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("point is not on P-256: " + e.getMessage(), e);
    }
    return new EcdsaP256PublicKey(Bytes.copyOf(uncompressed), verifyKey);
  }

  /** The key from a DER SubjectPublicKeyInfo, as found in a certificate or a PEM public key. */
  public static EcdsaP256PublicKey fromSpkiDer(byte[] der) {
    if (der.length != SPKI_PREFIX.length + LENGTH
        || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new IllegalArgumentException("not a P-256 SubjectPublicKeyInfo");
    }
    return fromUncompressedPoint(Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length));
  }

  /** The same key as a JDK key (from a KeyStore certificate, for example). */
  public static EcdsaP256PublicKey fromJava(ECPublicKey key) {
    requireNonNull(key, "key");
    return fromSpkiDer(key.getEncoded());
  }

  /** {@code 04 || X || Y}. */
  public Bytes uncompressedPoint() {
    return point;
  }

  /** The DER SubjectPublicKeyInfo. */
  public byte[] spkiDer() {
    byte[] der = new byte[SPKI_PREFIX.length + LENGTH];
    System.arraycopy(SPKI_PREFIX, 0, der, 0, SPKI_PREFIX.length);
    point.copyTo(der, SPKI_PREFIX.length);
    return der;
  }

  public KeyId keyId() {
    return keyId;
  }

  /** The key as BouncyCastle's verifier takes it ({@link EcdsaP256#verify}). */
  ECPublicKeyParameters verifyKey() {
    return verifyKey;
  }

  /** The same key as a JDK key, made on each call (tools and tests; verification needs none). */
  public ECPublicKey toJava() {
    try {
      return (ECPublicKey)
          KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spkiDer()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK refuses a P-256 point BouncyCastle accepted", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EcdsaP256PublicKey other && point.equals(other.point);
  }

  @Override
  public int hashCode() {
    return point.hashCode();
  }

  @Override
  public String toString() {
    return "EcdsaP256PublicKey[" + keyId.hex() + "]";
  }
}
