package dev.mmo.protocol.testing;

import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.crypto.SoftwareEcdsaSigner;
import java.nio.charset.StandardCharsets;

/**
 * TEST KEYS ONLY: fixed, public and therefore worthless outside tests. Each is derived from SHA-256
 * of a label so the golden vectors are reproducible.
 */
public final class TestKeys {
  /** The VS root key the golden vectors are signed with. */
  public static final SoftwareEcdsaSigner VS_ROOT = p256("mmo test key: vs root 1");

  /** A second VS key that no test trust anchor set contains unless a test says so. */
  public static final SoftwareEcdsaSigner VS_ROOT_UNTRUSTED =
      p256("mmo test key: vs root untrusted");

  /** Game server gs-1's enrolled long-term key. */
  public static final Ed25519KeyPair GS_LONG_TERM = ed25519("mmo test key: gs-1 long-term");

  /** Game server gs-1's session key for session 1. */
  public static final Ed25519KeyPair GS_SESSION = ed25519("mmo test key: gs-1 session 1");

  /** A key nobody enrolled. */
  public static final Ed25519KeyPair STRANGER = ed25519("mmo test key: stranger");

  public static final Ed25519KeyPair CLIENT_A = ed25519("mmo test key: client a");
  public static final Ed25519KeyPair CLIENT_B = ed25519("mmo test key: client b");

  private TestKeys() {}

  private static byte[] seed(String label) {
    return Sha256.digest(label.getBytes(StandardCharsets.US_ASCII));
  }

  private static SoftwareEcdsaSigner p256(String label) {
    return SoftwareEcdsaSigner.fromPrivateScalar(seed(label));
  }

  private static Ed25519KeyPair ed25519(String label) {
    return Ed25519KeyPair.fromSeed(seed(label));
  }
}
