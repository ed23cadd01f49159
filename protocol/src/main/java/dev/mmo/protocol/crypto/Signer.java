package dev.mmo.protocol.crypto;

/**
 * The VS root key: signs batch heads with ECDSA P-256 over SHA-256.
 *
 * <p>Production implementations keep the private key in an HSM; {@link SoftwareEcdsaSigner} keeps
 * it in memory for tests and tools. Implementations return canonical (low-S) signatures and must be
 * safe for use from several threads.
 */
public interface Signer {
  EcdsaP256PublicKey publicKey();

  default KeyId keyId() {
    return publicKey().keyId();
  }

  /** Signs {@code message}, which already starts with its domain label. */
  EcdsaP256Signature sign(byte[] message) throws SigningException;

  /**
   * Whether {@link #sign} already verified every signature it returns under {@link #publicKey()}
   * (an HSM wrapper that checks the token's output), so a caller need not verify it again.
   */
  default boolean verifiesItsSignatures() {
    return false;
  }
}
