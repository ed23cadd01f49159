package dev.mmo.protocol.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;

/**
 * A {@link Signer} whose P-256 private key sits in memory. For tests, test-vector generation and
 * tools only: the VS signs with its HSM.
 *
 * <p>Signatures are deterministic (RFC 6979), so generated vectors are reproducible.
 */
public final class SoftwareEcdsaSigner implements Signer {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

  private final ECPrivateKeyParameters privateKey;
  private final EcdsaP256PublicKey publicKey;

  private SoftwareEcdsaSigner(BigInteger d) {
    if (d.signum() <= 0 || d.compareTo(DOMAIN.getN()) >= 0) {
      throw new IllegalArgumentException("private scalar out of range");
    }
    this.privateKey = new ECPrivateKeyParameters(d, DOMAIN);
    this.publicKey =
        EcdsaP256PublicKey.fromUncompressedPoint(
            DOMAIN.getG().multiply(d).normalize().getEncoded(false));
  }

  /** The signer for the 32-byte big-endian private scalar {@code d}. */
  public static SoftwareEcdsaSigner fromPrivateScalar(byte[] d) {
    if (d.length != 32) {
      throw new IllegalArgumentException("P-256 private scalar must be 32 bytes");
    }
    return new SoftwareEcdsaSigner(new BigInteger(1, d));
  }

  public static SoftwareEcdsaSigner generate(SecureRandom random) {
    return new SoftwareEcdsaSigner(
        BigIntegers.createRandomInRange(
            BigInteger.ONE, DOMAIN.getN().subtract(BigInteger.ONE), random));
  }

  @Override
  public EcdsaP256PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public EcdsaP256Signature sign(byte[] message) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, privateKey);
    BigInteger[] rs = signer.generateSignature(Sha256.digest(message));
    return EcdsaP256Signature.normalized(rs[0], rs[1]);
  }
}
