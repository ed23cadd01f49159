package dev.mmo.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.protocol.bytes.Hex;
import dev.mmo.protocol.testing.TestKeys;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

class EcdsaP256Test {
  private static final byte[] MESSAGE = "batch head".getBytes(StandardCharsets.US_ASCII);

  @Test
  void verify_signatureOfTheJdksProviderConvertedFromDer_accepted() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pair.getPrivate());
    signer.update(MESSAGE);
    EcdsaP256Signature signature = EcdsaP256Signature.fromDer(signer.sign());

    EcdsaP256PublicKey key = EcdsaP256PublicKey.fromJava((ECPublicKey) pair.getPublic());
    assertThat(signature.isCanonical()).isTrue();
    assertThat(EcdsaP256.verify(key, MESSAGE, signature)).isTrue();
    assertThat(EcdsaP256Signature.fromDer(signature.toDer())).isEqualTo(signature);
  }

  @Test
  void verify_agreesWithTheJdkOnValidAndTamperedSignatures() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 50; i++) {
      KeyPair pair = generator.generateKeyPair();
      EcdsaP256PublicKey key = EcdsaP256PublicKey.fromJava((ECPublicKey) pair.getPublic());
      byte[] message = new byte[1 + random.nextInt(300)];
      random.nextBytes(message);
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(pair.getPrivate());
      signer.update(message);
      EcdsaP256Signature signature = EcdsaP256Signature.fromDer(signer.sign());

      assertThat(EcdsaP256.verify(key, message, signature))
          .isEqualTo(jdkVerifies(key, message, signature))
          .isTrue();
      byte[] otherMessage = message.clone();
      otherMessage[random.nextInt(otherMessage.length)] ^= (byte) (1 << random.nextInt(8));
      assertThat(EcdsaP256.verify(key, otherMessage, signature))
          .isEqualTo(jdkVerifies(key, otherMessage, signature))
          .isFalse();
      byte[] otherR = signature.bytes().toByteArray();
      otherR[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
      EcdsaP256Signature tampered = EcdsaP256Signature.of(otherR);
      assertThat(EcdsaP256.verify(key, message, tampered)).isFalse();
      assertThat(jdkVerifies(key, message, tampered)).isFalse();
    }
  }

  /** The JDK's own verdict (SunEC), the reference this verifier must agree with. */
  private static boolean jdkVerifies(
      EcdsaP256PublicKey key, byte[] message, EcdsaP256Signature signature) throws Exception {
    Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format", "SunEC");
    verifier.initVerify(key.toJava());
    verifier.update(message);
    return verifier.verify(signature.bytes().toByteArray());
  }

  @Test
  void verify_highS_rejectedAlthoughMathematicallyValid() {
    SoftwareEcdsaSigner signer = TestKeys.VS_ROOT;
    EcdsaP256Signature low = signer.sign(MESSAGE);
    EcdsaP256Signature high = withS(low, EcdsaP256Signature.N.subtract(low.s()));

    assertThat(EcdsaP256.verify(signer.publicKey(), MESSAGE, low)).isTrue();
    assertThat(high.isCanonical()).isFalse();
    assertThat(EcdsaP256.verify(signer.publicKey(), MESSAGE, high)).isFalse();
    assertThat(EcdsaP256Signature.normalized(high.r(), high.s())).isEqualTo(low);
  }

  @Test
  void verify_zeroOrOutOfRangeComponents_rejected() {
    SoftwareEcdsaSigner signer = TestKeys.VS_ROOT;
    EcdsaP256Signature good = signer.sign(MESSAGE);
    assertThat(EcdsaP256.verify(signer.publicKey(), MESSAGE, EcdsaP256Signature.of(new byte[64])))
        .isFalse();
    assertThat(EcdsaP256.verify(signer.publicKey(), MESSAGE, withS(good, BigInteger.ZERO)))
        .isFalse();
    byte[] rEqualsN = good.bytes().toByteArray();
    byte[] n = EcdsaP256Signature.N.toByteArray();
    System.arraycopy(n, n.length - 32, rEqualsN, 0, 32);
    assertThat(EcdsaP256.verify(signer.publicKey(), MESSAGE, EcdsaP256Signature.of(rEqualsN)))
        .isFalse();
  }

  @Test
  void verify_otherKeyOrMessage_rejected() {
    EcdsaP256Signature signature = TestKeys.VS_ROOT.sign(MESSAGE);
    assertThat(EcdsaP256.verify(TestKeys.VS_ROOT_UNTRUSTED.publicKey(), MESSAGE, signature))
        .isFalse();
    assertThat(
            EcdsaP256.verify(
                TestKeys.VS_ROOT.publicKey(),
                "other".getBytes(StandardCharsets.US_ASCII),
                signature))
        .isFalse();
  }

  @Test
  void softwareSigner_sameMessage_sameSignature() {
    assertThat(TestKeys.VS_ROOT.sign(MESSAGE)).isEqualTo(TestKeys.VS_ROOT.sign(MESSAGE));
  }

  @Test
  void publicKey_pointOffTheCurve_refused() {
    byte[] point = TestKeys.VS_ROOT.publicKey().uncompressedPoint().toByteArray();
    point[64] ^= 1;
    assertThatThrownBy(() -> EcdsaP256PublicKey.fromUncompressedPoint(point))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not on P-256");
  }

  @Test
  void publicKey_coordinateOutsideTheField_refused() {
    byte[] point = TestKeys.VS_ROOT.publicKey().uncompressedPoint().toByteArray();
    java.util.Arrays.fill(point, 1, 33, (byte) 0xff);
    assertThatThrownBy(() -> EcdsaP256PublicKey.fromUncompressedPoint(point))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not on P-256");
  }

  @Test
  void publicKey_compressedOrWrongLength_refused() {
    byte[] point = TestKeys.VS_ROOT.publicKey().uncompressedPoint().toByteArray();
    point[0] = 0x02;
    assertThatThrownBy(() -> EcdsaP256PublicKey.fromUncompressedPoint(point))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EcdsaP256PublicKey.fromUncompressedPoint(new byte[64]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyId_isSha256OfSpkiDer() {
    EcdsaP256PublicKey key = TestKeys.VS_ROOT.publicKey();
    assertThat(key.keyId().bytes()).isEqualTo(Sha256.hash(key.toJava().getEncoded()).bytes());
    assertThat(EcdsaP256PublicKey.fromSpkiDer(key.spkiDer())).isEqualTo(key);
  }

  @Test
  void fromDer_nonMinimalOrTrailing_refused() {
    byte[] der = TestKeys.VS_ROOT.sign(MESSAGE).toDer();
    byte[] trailing = new byte[der.length + 1];
    System.arraycopy(der, 0, trailing, 0, der.length);
    trailing[1] = (byte) (trailing.length - 2);
    assertThatThrownBy(() -> EcdsaP256Signature.fromDer(trailing))
        .isInstanceOf(IllegalArgumentException.class);
    // INTEGER 1 padded with a redundant zero byte.
    byte[] padded = Hex.decode("3008020200010202" + "0001");
    assertThatThrownBy(() -> EcdsaP256Signature.fromDer(padded))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static EcdsaP256Signature withS(EcdsaP256Signature sig, BigInteger s) {
    byte[] out = sig.bytes().toByteArray();
    byte[] sBytes = s.toByteArray();
    byte[] fixed = new byte[32];
    int skip = Math.max(0, sBytes.length - 32);
    System.arraycopy(sBytes, skip, fixed, 32 - (sBytes.length - skip), sBytes.length - skip);
    System.arraycopy(fixed, 0, out, 32, 32);
    return EcdsaP256Signature.of(out);
  }
}
