package dev.mmo.bench;

import dev.mmo.protocol.crypto.EcdsaP256;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Signer;
import dev.mmo.protocol.crypto.SigningException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;

/**
 * The VS key on the project's SoftHSM token, opened the way the VS opens it (SunPKCS11 and the
 * {@code PKCS11} KeyStore), from JDK APIs only so the benchmarks need nothing of the VS. Reads what
 * {@code . infra/softhsm/env.sh} exports: MMO_HSM_CONFIG, MMO_HSM_PIN, MMO_HSM_KEY_ALIAS.
 */
final class Pkcs11Token {
  final Provider provider;
  final PrivateKey key;
  final EcdsaP256PublicKey publicKey;

  private Pkcs11Token(Provider provider, PrivateKey key, EcdsaP256PublicKey publicKey) {
    this.provider = provider;
    this.key = key;
    this.publicKey = publicKey;
  }

  static Pkcs11Token open() {
    String config = System.getenv("MMO_HSM_CONFIG");
    if (config == null) {
      throw new IllegalStateException(
          "MMO_HSM_CONFIG is not set: run through bench/run.sh, or `. infra/softhsm/env.sh`");
    }
    String alias = System.getenv().getOrDefault("MMO_HSM_KEY_ALIAS", "mmo-vs-1");
    char[] pin = System.getenv().getOrDefault("MMO_HSM_PIN", "mmo-dev-pin").toCharArray();
    try {
      Provider provider = Security.getProvider("SunPKCS11").configure(config);
      KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
      keyStore.load(null, pin);
      PrivateKey key = (PrivateKey) keyStore.getKey(alias, null);
      ECPublicKey certified = (ECPublicKey) keyStore.getCertificate(alias).getPublicKey();
      return new Pkcs11Token(provider, key, EcdsaP256PublicKey.fromJava(certified));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot open the SoftHSM token (infra/softhsm)", e);
    }
  }

  /** A SHA256withECDSA signer on the token; one per thread, it is not thread-safe. */
  Signature newSignature() {
    try {
      Signature signature = Signature.getInstance("SHA256withECDSA", provider);
      signature.initSign(key);
      return signature;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the token refuses to sign", e);
    }
  }

  /**
   * The token as a protocol {@link Signer} that works like the VS's HsmSigner: each signature made
   * on the token, put in low-S form and verified before it is returned. Counts its signatures.
   */
  CountingSigner signer() {
    return new CountingSigner();
  }

  final class CountingSigner implements Signer {
    private final Signature signature = newSignature();
    private long signatures;

    long signatures() {
      return signatures;
    }

    @Override
    public EcdsaP256PublicKey publicKey() {
      return publicKey;
    }

    @Override
    public EcdsaP256Signature sign(byte[] message) throws SigningException {
      EcdsaP256Signature result;
      try {
        signature.update(message);
        result = EcdsaP256Signature.fromDer(signature.sign());
      } catch (GeneralSecurityException e) {
        throw new SigningException("the token could not sign", e);
      }
      signatures++;
      if (!EcdsaP256.verify(publicKey, message, result)) {
        throw new SigningException("the token returned a signature that does not verify");
      }
      return result;
    }
  }
}
