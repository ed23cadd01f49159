package dev.mmo.protocol.testing;

import java.math.BigInteger;

/**
 * Just enough edwards25519 arithmetic (RFC 8032 section 5.1) to build hostile test inputs:
 * mixed-order public keys and signatures that only a verifier which skips key validation would
 * accept. Slow, affine, BigInteger: test code only, never for real signatures.
 */
public final class Edwards25519 {
  public static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  public static final BigInteger L =
      BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
  private static final BigInteger D =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  private static final BigInteger SQRT_M1 =
      BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

  /** An affine point. */
  public record Point(BigInteger x, BigInteger y) {}

  public static final Point IDENTITY = new Point(BigInteger.ZERO, BigInteger.ONE);

  /** The base point B. */
  public static final Point BASE =
      decode(hex("5866666666666666666666666666666666666666666666666666666666666666"));

  private Edwards25519() {}

  /** RFC 8032 section 5.1.3; throws on an encoding that is not a curve point. */
  public static Point decode(byte[] encoded) {
    byte[] le = encoded.clone();
    int sign = (le[31] >> 7) & 1;
    le[31] &= 0x7f;
    BigInteger y = littleEndian(le);
    if (y.compareTo(P) >= 0) {
      throw new IllegalArgumentException("non-canonical y");
    }
    BigInteger y2 = y.multiply(y).mod(P);
    BigInteger u = y2.subtract(BigInteger.ONE).mod(P);
    BigInteger v = D.multiply(y2).add(BigInteger.ONE).mod(P);
    BigInteger x =
        u.multiply(v.modInverse(P)).mod(P).modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    BigInteger vx2 = v.multiply(x).multiply(x).mod(P);
    if (!vx2.equals(u)) {
      if (vx2.equals(u.negate().mod(P))) {
        x = x.multiply(SQRT_M1).mod(P);
      } else {
        throw new IllegalArgumentException("not on the curve");
      }
    }
    if (x.signum() == 0 && sign == 1) {
      throw new IllegalArgumentException("x = 0 with sign bit set");
    }
    if (x.testBit(0) != (sign == 1)) {
      x = P.subtract(x);
    }
    return new Point(x, y);
  }

  public static byte[] encode(Point p) {
    byte[] out = toLittleEndian32(p.y());
    if (p.x().testBit(0)) {
      out[31] |= (byte) 0x80;
    }
    return out;
  }

  public static Point add(Point a, Point b) {
    BigInteger x1y2 = a.x().multiply(b.y());
    BigInteger x2y1 = b.x().multiply(a.y());
    BigInteger y1y2 = a.y().multiply(b.y());
    BigInteger x1x2 = a.x().multiply(b.x());
    BigInteger dxxyy = D.multiply(x1x2).multiply(y1y2).mod(P);
    BigInteger x = x1y2.add(x2y1).multiply(BigInteger.ONE.add(dxxyy).modInverse(P)).mod(P);
    BigInteger y =
        y1y2.add(x1x2).multiply(BigInteger.ONE.subtract(dxxyy).mod(P).modInverse(P)).mod(P);
    return new Point(x, y);
  }

  public static Point negate(Point p) {
    return new Point(p.x().negate().mod(P), p.y());
  }

  public static Point multiply(BigInteger k, Point p) {
    Point result = IDENTITY;
    for (int i = k.bitLength() - 1; i >= 0; i--) {
      result = add(result, result);
      if (k.testBit(i)) {
        result = add(result, p);
      }
    }
    return result;
  }

  /** The scalar of a 32- or 64-byte little-endian string, reduced mod L. */
  public static BigInteger scalar(byte[] littleEndian) {
    return littleEndian(littleEndian).mod(L);
  }

  static BigInteger littleEndian(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  static byte[] toLittleEndian32(BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < Math.min(32, be.length); i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  private static byte[] hex(String h) {
    return dev.mmo.protocol.bytes.Hex.decode(h);
  }
}
