package dev.mmo.bench;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The peer of the batch path: raw ECDSA P-256 signatures by the VS key on SoftHSM through
 * SunPKCS11, over a 100-byte message, with nothing of ours around the call (no low-S conversion, no
 * verification). With two threads JMH reports the sum of both.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HsmSignBench {
  /** The token, opened once per run and shared by the threads, as the VS shares its login. */
  @State(Scope.Benchmark)
  public static class Token {
    Pkcs11Token token;

    @Setup
    public void open() {
      token = Pkcs11Token.open();
    }
  }

  /** Each thread's own Signature object: SunPKCS11 signatures are not thread-safe. */
  @State(Scope.Thread)
  public static class Signing {
    final byte[] message = new byte[100];
    Signature signature;

    @Setup
    public void setUp(Token token) {
      byte[] label = "mmo bench hsm message".getBytes(StandardCharsets.US_ASCII);
      Arrays.fill(message, (byte) 0x5a);
      System.arraycopy(label, 0, message, 0, label.length);
      signature = token.token.newSignature();
    }
  }

  @Benchmark
  @Threads(1)
  public byte[] rawSign1Thread(Signing s) throws SignatureException {
    s.signature.update(s.message);
    return s.signature.sign();
  }

  @Benchmark
  @Threads(2)
  public byte[] rawSign2Threads(Signing s) throws SignatureException {
    s.signature.update(s.message);
    return s.signature.sign();
  }
}
