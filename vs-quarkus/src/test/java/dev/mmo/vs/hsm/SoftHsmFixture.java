package dev.mmo.vs.hsm;

import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.Base64;

/**
 * The project-local SoftHSM token as a test sees it from the outside: the VS public key as
 * infra/softhsm/init-token.sh exported it, and a way to break the VS's login for real.
 */
public final class SoftHsmFixture {
  /** The token made by infra/softhsm/init-token.sh, relative to the vs-quarkus module. */
  public static final Path WORK = Path.of("..", "infra", "softhsm", "work");

  public static final Path SUNPKCS11_CONFIG = WORK.resolve("sunpkcs11.cfg");

  private SoftHsmFixture() {}

  /** The VS key's public half, from the PEM the token script exported (not from the VS). */
  public static EcdsaP256PublicKey vsPublicKey() {
    try {
      String pem = Files.readString(WORK.resolve("vs-public-key.pem"));
      String base64 =
          pem.replace("-----BEGIN PUBLIC KEY-----", "")
              .replace("-----END PUBLIC KEY-----", "")
              .replaceAll("\\s", "");
      return EcdsaP256PublicKey.fromSpkiDer(Base64.getDecoder().decode(base64));
    } catch (IOException e) {
      throw new UncheckedIOException("run infra/softhsm/init-token.sh first", e);
    }
  }

  /**
   * Logs the token out through a provider of our own. PKCS#11 login state belongs to the process,
   * not to a provider, so every key handle the VS holds stops working exactly as it would if an
   * operator or the token itself ended the session.
   */
  public static void logOutEveryone() {
    try {
      Provider provider =
          Security.getProvider("SunPKCS11").configure(SUNPKCS11_CONFIG.toAbsolutePath().toString());
      KeyStore.getInstance("PKCS11", provider).load(null, pin());
      ((AuthProvider) provider).logout();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot log the test token out", e);
    }
  }

  private static char[] pin() {
    return System.getenv().getOrDefault("MMO_HSM_PIN", "mmo-dev-pin").toCharArray();
  }
}
