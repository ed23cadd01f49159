package dev.mmo.protocol.crypto;

import dev.mmo.protocol.bytes.Bytes;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * An ECDSA P-256 signature in fixed-width form {@code r || s} (IEEE P1363), 64 bytes.
 *
 * <p>The wire format accepts only low-S signatures ({@code s <= n/2}), so a signature has one
 * encoding; {@link #normalized} turns any valid signature into that form.
 */
public record EcdsaP256Signature(Bytes bytes) {
  public static final int LENGTH = 64;

  /** The order of the P-256 group. */
  static final BigInteger N =
      new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

  private static final BigInteger HALF_N = N.shiftRight(1);

  public EcdsaP256Signature {
    Bytes.requireLength(bytes, LENGTH, "P-256 signature");
  }

  public static EcdsaP256Signature of(byte[] value) {
    return new EcdsaP256Signature(Bytes.copyOf(value));
  }

  public BigInteger r() {
    return new BigInteger(1, Arrays.copyOfRange(bytes.toByteArray(), 0, 32));
  }

  public BigInteger s() {
    return new BigInteger(1, Arrays.copyOfRange(bytes.toByteArray(), 32, 64));
  }

  /** Whether r and s lie in [1, n-1] and s is in the lower half. */
  public boolean isCanonical() {
    BigInteger r = r();
    BigInteger s = s();
    return r.signum() > 0 && r.compareTo(N) < 0 && s.signum() > 0 && s.compareTo(HALF_N) <= 0;
  }

  /** The signature from its two integers, with s mapped to the lower half. */
  public static EcdsaP256Signature normalized(BigInteger r, BigInteger s) {
    if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
      throw new IllegalArgumentException("r or s out of range");
    }
    BigInteger lowS = s.compareTo(HALF_N) > 0 ? N.subtract(s) : s;
    byte[] out = new byte[LENGTH];
    putFixed(r, out, 0);
    putFixed(lowS, out, 32);
    return new EcdsaP256Signature(Bytes.copyOf(out));
  }

  /**
   * The signature from the DER {@code ECDSA-Sig-Value} a JDK or PKCS#11 provider returns.
   *
   * @throws IllegalArgumentException when the DER is not a strict SEQUENCE of two INTEGERs
   */
  public static EcdsaP256Signature fromDer(byte[] der) {
    // SEQUENCE (short length, at most 72 bytes for P-256) { INTEGER r, INTEGER s }
    if (der.length < 8 || der[0] != 0x30 || (der[1] & 0xFF) != der.length - 2) {
      throw new IllegalArgumentException("not a DER ECDSA signature");
    }
    int[] pos = {2};
    BigInteger r = readDerInteger(der, pos);
    BigInteger s = readDerInteger(der, pos);
    if (pos[0] != der.length) {
      throw new IllegalArgumentException("trailing bytes after DER ECDSA signature");
    }
    return normalized(r, s);
  }

  /** The DER {@code ECDSA-Sig-Value} of this signature. */
  public byte[] toDer() {
    byte[] r = r().toByteArray();
    byte[] s = s().toByteArray();
    byte[] der = new byte[6 + r.length + s.length];
    der[0] = 0x30;
    der[1] = (byte) (4 + r.length + s.length);
    der[2] = 0x02;
    der[3] = (byte) r.length;
    System.arraycopy(r, 0, der, 4, r.length);
    der[4 + r.length] = 0x02;
    der[5 + r.length] = (byte) s.length;
    System.arraycopy(s, 0, der, 6 + r.length, s.length);
    return der;
  }

  private static BigInteger readDerInteger(byte[] der, int[] pos) {
    int p = pos[0];
    if (p + 2 > der.length || der[p] != 0x02) {
      throw new IllegalArgumentException("expected DER INTEGER");
    }
    int len = der[p + 1] & 0xFF;
    if (len == 0 || len > 33 || p + 2 + len > der.length) {
      throw new IllegalArgumentException("bad DER INTEGER length");
    }
    byte[] value = Arrays.copyOfRange(der, p + 2, p + 2 + len);
    boolean redundantZero = len > 1 && value[0] == 0 && value[1] >= 0;
    if (value[0] < 0 || redundantZero) {
      throw new IllegalArgumentException("non-minimal or negative DER INTEGER");
    }
    pos[0] = p + 2 + len;
    return new BigInteger(1, value);
  }

  private static void putFixed(BigInteger value, byte[] out, int offset) {
    byte[] v = value.toByteArray();
    int skip = v.length > 32 ? v.length - 32 : 0;
    System.arraycopy(v, skip, out, offset + 32 - (v.length - skip), v.length - skip);
  }

  @Override
  public String toString() {
    return "EcdsaP256Signature[" + bytes.hex() + "]";
  }
}
