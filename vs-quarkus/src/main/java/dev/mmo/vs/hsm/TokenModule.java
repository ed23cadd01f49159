package dev.mmo.vs.hsm;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.SigningException;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.login.LoginException;

/**
 * The token as the VS reaches it through one SunPKCS11 configuration: a login through a fresh
 * provider, and, for when that is not enough, the PKCS#11 library re-initialized as the one
 * process-wide module it is: {@code C_Finalize} then {@code C_Initialize}, the only way to make it
 * forget a broken state.
 *
 * <p>Why this exists: a PKCS#11 library keeps its state per process, and SunPKCS11 initializes it
 * once per library path and never again (its module cache in {@code
 * sun.security.pkcs11.wrapper.PKCS11}); a new provider from {@code Provider.configure} reuses that
 * state. SoftHSM marks its token invalid for good when one look at the token directory fails (no
 * descriptor left, the directory briefly gone), and then answers every call, {@code C_GetTokenInfo}
 * first, with {@code CKR_GENERAL_ERROR} until the library is initialized again. Other processes on
 * the same token are not affected.
 *
 * <p>The JDK offers no public way to do this: the wrapper's package is not exported and {@code
 * C_Initialize} is package-private. The VS therefore runs with {@code --add-opens
 * jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}: every launch of quarkus-run.jar
 * passes it, and so does surefire's argLine. (A manifest {@code Add-Opens} entry would be simpler,
 * but Quarkus writes that entry itself and overwrites ours.) Without the flag {@link
 * #reinitialize()} fails closed with a message that names it, and the signer still recovers from
 * everything a fresh login fixes.
 *
 * <p>Re-initializing ends every session of every provider on this library in this process, so the
 * caller must make sure nothing else is using the token meanwhile. The module object is the one
 * SunPKCS11 caches, so repeating this allocates nothing that accumulates.
 */
final class TokenModule {
  /** The module/package the JVM must open: {@code --add-opens <this>=ALL-UNNAMED}. */
  static final String ADD_OPENS = "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper";

  private static final String WRAPPER = "sun.security.pkcs11.wrapper.";
  private static final long CKF_OS_LOCKING_OK = 0x2L;
  private static final long CKR_CRYPTOKI_NOT_INITIALIZED = 0x190L;
  private static final long CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191L;

  /** The {@code library} line of a SunPKCS11 configuration, optionally quoted. */
  private static final Pattern LIBRARY =
      Pattern.compile("^\\s*library\\s*=\\s*\"?([^\"\\r\\n]+?)\"?\\s*$", Pattern.MULTILINE);

  private static final Pattern DESTROY_AFTER_LOGOUT =
      Pattern.compile("^\\s*destroyTokenAfterLogout\\s*=", Pattern.MULTILINE);

  /** The provider, key and public key of one login to the token. */
  record Token(Provider provider, PrivateKey key, EcdsaP256PublicKey publicKey) {}

  private final Path config;

  TokenModule(Path config) {
    this.config = requireNonNull(config, "config");
  }

  /** Whether this JVM lets {@link #reinitialize()} work: the wrapper package is open to us. */
  static boolean reinitializable() {
    return ModuleLayer.boot()
        .findModule("jdk.crypto.cryptoki")
        .map(module -> module.isOpen("sun.security.pkcs11.wrapper", TokenModule.class.getModule()))
        .orElse(false);
  }

  /**
   * Finalizes and initializes the library again, as SunPKCS11 initialized it (OS locking). A
   * library already finalized (a previous attempt failed half-way) is simply initialized.
   *
   * @throws SigningException when the library cannot be named, reached or initialized
   */
  /**
   * Logs in through a fresh provider, so its sessions and key handles are new too. Give the token
   * back with {@link #release} once it is dropped.
   */
  Token login(String alias, char[] pin) throws SigningException {
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new SigningException("this JDK has no SunPKCS11 provider");
    }
    Provider provider;
    try {
      provider = base.configure(inlineConfig());
    } catch (RuntimeException e) {
      throw new SigningException("cannot log in to the HSM token: " + e.getMessage(), e);
    }
    try {
      KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
      keyStore.load(null, pin);
      // Only our alias: getKey on another alias may hold a key type SunPKCS11 cannot load.
      Key key = keyStore.getKey(alias, null);
      Certificate certificate = keyStore.getCertificate(alias);
      if (!(key instanceof PrivateKey privateKey) || certificate == null) {
        throw new SigningException("no key with a certificate under alias '" + alias + "'");
      }
      if (!(certificate.getPublicKey() instanceof ECPublicKey ecKey)) {
        throw new SigningException("the key under '" + alias + "' is not EC");
      }
      return new Token(provider, privateKey, EcdsaP256PublicKey.fromJava(ecKey));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      release(provider);
      throw new SigningException("cannot log in to the HSM token: " + e.getMessage(), e);
    } catch (SigningException e) {
      release(provider);
      throw e;
    }
  }

  /**
   * Logs the token's provider out, which (with {@code destroyTokenAfterLogout}) closes its sessions
   * and lets the provider be collected; without this, SunPKCS11's static list of session references
   * keeps every dropped provider, and its native sessions, for the life of the process. PKCS#11
   * login state belongs to the process: only call this when no newer login exists.
   */
  void release(Token token) {
    release(token.provider());
  }

  private static void release(Provider provider) {
    try {
      ((AuthProvider) provider).logout();
    } catch (LoginException | RuntimeException e) {
      // Best effort: the sessions are closed in a finally block even when the logout fails.
    }
  }

  /**
   * The configuration file's text with {@code destroyTokenAfterLogout} added (unless it sets it
   * itself), passed inline ({@code --}) so that the file stays the operator's.
   */
  private String inlineConfig() throws SigningException {
    String text = readConfig();
    return "--"
        + (DESTROY_AFTER_LOGOUT.matcher(text).find()
            ? text
            : text + "\ndestroyTokenAfterLogout = true\n");
  }

  void reinitialize() throws SigningException {
    String library = library();
    try {
      Class<?> pkcs11 = Class.forName(WRAPPER + "PKCS11");
      Class<?> argsType = Class.forName(WRAPPER + "CK_C_INITIALIZE_ARGS");
      Constructor<?> newArgs = argsType.getConstructor();
      Object args = newArgs.newInstance();
      argsType.getField("flags").setLong(args, CKF_OS_LOCKING_OK);
      // omitInitialize: only fetch the module SunPKCS11 already holds for this library.
      Object module =
          pkcs11
              .getMethod("getInstance", String.class, String.class, argsType, boolean.class)
              .invoke(null, library, "C_GetFunctionList", args, true);
      Method finalizeModule = pkcs11.getMethod("C_Finalize", Object.class);
      Method initializeModule = pkcs11.getDeclaredMethod("C_Initialize", Object.class);
      initializeModule.setAccessible(true);
      call(finalizeModule, module, null, CKR_CRYPTOKI_NOT_INITIALIZED);
      call(initializeModule, module, args, CKR_CRYPTOKI_ALREADY_INITIALIZED);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // InaccessibleObjectException (a RuntimeException) when the package is not opened.
      throw new SigningException(
          "cannot re-initialize the PKCS#11 library "
              + library
              + " (does the JVM run with --add-opens "
              + ADD_OPENS
              + "=ALL-UNNAMED?): "
              + e,
          e);
    }
  }

  /** Calls a PKCS#11 function, treating the one return value {@code harmless} as success. */
  private static void call(Method function, Object module, Object argument, long harmless)
      throws SigningException, ReflectiveOperationException {
    try {
      function.invoke(module, argument);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (errorCode(cause) != harmless) {
        throw new SigningException(function.getName() + " failed: " + cause, cause);
      }
    }
  }

  private static long errorCode(Throwable pkcs11Exception) throws ReflectiveOperationException {
    if (!pkcs11Exception.getClass().getName().equals(WRAPPER + "PKCS11Exception")) {
      return -1;
    }
    return (long) pkcs11Exception.getClass().getMethod("getErrorCode").invoke(pkcs11Exception);
  }

  /** The library path exactly as the configuration spells it: SunPKCS11 caches by that string. */
  private String library() throws SigningException {
    Matcher matcher = LIBRARY.matcher(readConfig());
    if (!matcher.find()) {
      throw new SigningException("the SunPKCS11 configuration " + config + " names no library");
    }
    return matcher.group(1);
  }

  private String readConfig() throws SigningException {
    try {
      return Files.readString(config);
    } catch (IOException e) {
      throw new SigningException("cannot read the SunPKCS11 configuration: " + e, e);
    }
  }
}
