package dev.mmo.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8032 section 7.1 test vectors through our Ed25519 classes (BouncyCastle underneath). */
class Ed25519Rfc8032Test {
  @Test
  void rfc8032Vectors_keyDerivationSigningAndVerification_matchTheRfc() throws Rejection {
    JsonNode file = Vectors.load("ed25519-rfc8032.json");
    List<String> failures = new ArrayList<>();
    for (JsonNode v : file.get("vectors")) {
      String name = v.get("name").asText();
      Ed25519KeyPair key = Ed25519KeyPair.fromSeed(Vectors.hex(v.get("secret_key")));
      byte[] message = Vectors.hex(v.get("message"));
      Ed25519Signature expected = Ed25519Signature.of(Vectors.hex(v.get("signature")));
      if (!key.publicKey().hex().equals(v.get("public_key").asText())) {
        failures.add(name + ": public key differs");
      }
      if (!key.sign(message).equals(expected)) {
        failures.add(name + ": signature differs");
      }
      Ed25519Verifier verifier = Ed25519Verifier.of(key.publicKey());
      if (!verifier.verify(message, expected)) {
        failures.add(name + ": RFC signature does not verify");
      }
      byte[] tampered = message.length == 0 ? new byte[] {0} : message.clone();
      tampered[0] ^= 1;
      if (verifier.verify(tampered, expected)) {
        failures.add(name + ": verifies a changed message");
      }
      byte[] sig = expected.bytes().toByteArray();
      sig[63] ^= 0x10;
      if (verifier.verify(message, Ed25519Signature.of(sig))) {
        failures.add(name + ": verifies a changed signature");
      }
    }
    assertThat(failures).isEmpty();
    assertThat(file.get("vectors")).hasSize(5);
  }

  @Test
  void verify_nonCanonicalS_rejected() throws Rejection {
    Ed25519KeyPair key = Ed25519KeyPair.fromSeed(new byte[32]);
    byte[] message = {1, 2, 3};
    byte[] sig = key.sign(message).bytes().toByteArray();
    // S + L, little-endian: the same scalar mod L but not canonical (RFC 8032 section 5.1.7).
    byte[] l = {
      (byte) 0xed,
      (byte) 0xd3,
      (byte) 0xf5,
      0x5c,
      0x1a,
      0x63,
      0x12,
      0x58,
      (byte) 0xd6,
      (byte) 0x9c,
      (byte) 0xf7,
      (byte) 0xa2,
      (byte) 0xde,
      (byte) 0xf9,
      (byte) 0xde,
      0x14,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0x10
    };
    int carry = 0;
    for (int i = 0; i < 32; i++) {
      int sum = (sig[32 + i] & 0xFF) + (l[i] & 0xFF) + carry;
      sig[32 + i] = (byte) sum;
      carry = sum >> 8;
    }
    assertThat(Ed25519Verifier.of(key.publicKey()).verify(message, Ed25519Signature.of(sig)))
        .isFalse();
  }
}
