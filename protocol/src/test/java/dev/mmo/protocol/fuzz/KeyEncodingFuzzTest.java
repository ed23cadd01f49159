package dev.mmo.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import java.util.Arrays;

/**
 * The decoders of keys and signatures that come from outside the wire codec: DER ECDSA signatures
 * (as an HSM returns them), P-256 public keys (trust anchors, SubjectPublicKeyInfo) and Ed25519
 * public keys. Their documented rejection is {@link IllegalArgumentException} (or {@link Rejection}
 * for Ed25519 keys); anything else is a finding. The first input byte picks the parser.
 */
class KeyEncodingFuzzTest {
  @FuzzTest(maxDuration = "15s")
  void decodeKeysAndSignatures(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int which = (input[0] & 0xFF) % 4;
    byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
    try {
      switch (which) {
        case 0 -> {
          EcdsaP256Signature sig = EcdsaP256Signature.fromDer(bytes);
          if (!sig.isCanonical() || !EcdsaP256Signature.fromDer(sig.toDer()).equals(sig)) {
            throw new IllegalStateException("DER round trip lost the signature");
          }
        }
        case 1 -> {
          EcdsaP256PublicKey key = EcdsaP256PublicKey.fromSpkiDer(bytes);
          if (!Arrays.equals(key.spkiDer(), bytes)) {
            throw new IllegalStateException("SPKI round trip changed the key");
          }
        }
        case 2 -> EcdsaP256PublicKey.fromUncompressedPoint(bytes);
        default -> {
          if (bytes.length == Ed25519PublicKey.LENGTH) {
            Ed25519Verifier.of(Ed25519PublicKey.of(bytes));
          }
        }
      }
    } catch (IllegalArgumentException | Rejection expected) {
      // The documented way these parsers refuse input.
    }
  }
}
