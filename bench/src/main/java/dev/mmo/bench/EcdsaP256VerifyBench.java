package dev.mmo.bench;

import dev.mmo.protocol.crypto.EcdsaP256;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ECDSA P-256 verification of a batch head's size of message: {@code EcdsaP256.verify} (what the VS
 * does after every HSM signature, and clients and game servers for every new batch head) against
 * its peer, the JDK's SunEC verifier called directly with the same key and signature.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EcdsaP256VerifyBench {
  private EcdsaP256PublicKey key;
  private ECPublicKey jdkKey;
  private EcdsaP256Signature signature;
  private byte[] signatureBytes;
  private final byte[] message = new byte[140];

  @Setup
  public void setUp() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pair.getPrivate());
    signer.update(message);
    signature = EcdsaP256Signature.fromDer(signer.sign());
    signatureBytes = signature.bytes().toByteArray();
    jdkKey = (ECPublicKey) pair.getPublic();
    key = EcdsaP256PublicKey.fromJava(jdkKey);
    if (!ours() || !sunEc()) {
      throw new IllegalStateException("a verifier refuses the bench input");
    }
  }

  /** What mmo verifies with (BouncyCastle's P-256 arithmetic, low-S check included). */
  @Benchmark
  public boolean ours() {
    return EcdsaP256.verify(key, message, signature);
  }

  /** The peer: the JDK's own verifier, a new {@code Signature} per call as before. */
  @Benchmark
  public boolean sunEc() throws Exception {
    Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format", "SunEC");
    verifier.initVerify(jdkKey);
    verifier.update(message);
    return verifier.verify(signatureBytes);
  }
}
