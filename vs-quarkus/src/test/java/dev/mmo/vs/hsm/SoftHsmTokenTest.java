package dev.mmo.vs.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.crypto.EcdsaP256;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The project-local SoftHSM token that infra/softhsm/init-token.sh makes, reached the way the VS
 * will reach it: SunPKCS11 and the standard PKCS11 KeyStore. Proves the set-up scripts leave a key
 * the VS can sign with and nobody can export.
 */
class SoftHsmTokenTest {
  private static final Path WORK = Path.of("..", "infra", "softhsm", "work");
  private static Provider provider;
  private static KeyStore keyStore;

  @BeforeAll
  static void openToken() throws Exception {
    Path config = WORK.resolve("sunpkcs11.cfg");
    assertThat(config).as("run infra/setup.sh first: it makes the token").exists();
    provider = Security.getProvider("SunPKCS11").configure(config.toAbsolutePath().toString());
    keyStore = KeyStore.getInstance("PKCS11", provider);
    keyStore.load(null, pin());
  }

  @Test
  void vsKey_onToken_signsAndTheSignatureVerifiesWithTheCertifiedPublicKey() throws Exception {
    PrivateKey key = (PrivateKey) keyStore.getKey(alias(), null);
    Certificate certificate = keyStore.getCertificate(alias());
    byte[] message = "mmo/v1/batch-head\0 test".getBytes(StandardCharsets.US_ASCII);

    Signature signer = Signature.getInstance("SHA256withECDSA", provider);
    signer.initSign(key);
    signer.update(message);
    EcdsaP256Signature signature = EcdsaP256Signature.fromDer(signer.sign());

    EcdsaP256PublicKey publicKey =
        EcdsaP256PublicKey.fromJava((ECPublicKey) certificate.getPublicKey());
    assertThat(EcdsaP256.verify(publicKey, message, signature)).isTrue();
    assertThat(EcdsaP256.verify(publicKey, "other".getBytes(StandardCharsets.US_ASCII), signature))
        .isFalse();
  }

  @Test
  void vsKey_onToken_isNotExtractable() throws Exception {
    Key key = keyStore.getKey(alias(), null);
    assertThat(key.getAlgorithm()).isEqualTo("EC");
    // A sensitive, non-extractable PKCS#11 key has no encoding outside the token.
    assertThat(key.getEncoded()).isNull();
  }

  @Test
  void keyIdFile_matchesTheCertifiedPublicKey() throws Exception {
    ECPublicKey certified = (ECPublicKey) keyStore.getCertificate(alias()).getPublicKey();
    String written = Files.readString(WORK.resolve("vs-key-id.txt")).trim();
    assertThat(EcdsaP256PublicKey.fromJava(certified).keyId().hex()).isEqualTo(written);
  }

  private static String alias() {
    return System.getenv().getOrDefault("MMO_HSM_KEY_ALIAS", "mmo-vs-1");
  }

  private static char[] pin() {
    return System.getenv().getOrDefault("MMO_HSM_PIN", "mmo-dev-pin").toCharArray();
  }
}
