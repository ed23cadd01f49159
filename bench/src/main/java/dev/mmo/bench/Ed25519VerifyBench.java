package dev.mmo.bench;

import dev.mmo.protocol.wire.Codec;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
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
 * The peers: BouncyCastle's RFC 8032 verify called directly on the exact bytes a ClientInput
 * signature covers, with nothing of ours in between.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Ed25519VerifyBench {
  private byte[] signature;
  private byte[] publicKey;
  private Ed25519.PublicPoint publicPoint;
  private byte[] message;

  @Setup
  public void setUp() {
    BenchInput input = BenchInput.create();
    signature = input.signed.signature().bytes().toByteArray();
    publicKey = input.clientKey.publicKey().bytes().toByteArray();
    publicPoint = Ed25519.validatePublicKeyFullExport(publicKey, 0);
    message = Codec.signingInput(input.signed.body());
    if (!rawBytes() || !rawPublicPoint()) {
      throw new IllegalStateException("raw verify refuses the bench input");
    }
  }

  /** Decompresses the public key on every call. */
  @Benchmark
  public boolean rawBytes() {
    return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
  }

  /** The key decoded once, as {@code Ed25519Verifier} keeps it. */
  @Benchmark
  public boolean rawPublicPoint() {
    return Ed25519.verify(signature, 0, publicPoint, message, 0, message.length);
  }
}
