package dev.mmo.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Signature;

/** ECDSA P-256 with SHA-256 verification through the JDK (SunEC). */
public final class EcdsaP256 {
  private static final String ALGORITHM = "SHA256withECDSAinP1363Format";

  private EcdsaP256() {}

  /**
   * Whether {@code signature} is a valid, canonical (low-S) signature of {@code message} by {@code
   * key}. Never throws for a bad signature: any failure is {@code false}.
   */
  public static boolean verify(
      EcdsaP256PublicKey key, byte[] message, EcdsaP256Signature signature) {
    if (!signature.isCanonical()) {
      return false;
    }
    try {
      Signature verifier = newVerifier();
      verifier.initVerify(key.toJava());
      verifier.update(message);
      return verifier.verify(signature.bytes().toByteArray());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  // SunEC explicitly: a SunPKCS11 provider added by the VS must never be asked to verify.
  private static Signature newVerifier() throws NoSuchAlgorithmException {
    try {
      return Signature.getInstance(ALGORITHM, "SunEC");
    } catch (NoSuchProviderException e) {
      return Signature.getInstance(ALGORITHM);
    }
  }
}
