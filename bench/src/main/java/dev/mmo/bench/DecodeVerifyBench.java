package dev.mmo.bench;

import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Signed;
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
 * What the game server does for each input frame: strict decode, then the signature check with the
 * verifier it made once for the connection. Compare with {@link Ed25519VerifyBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DecodeVerifyBench {
  private byte[] frame;
  private Ed25519Verifier verifier;

  @Setup
  public void setUp() {
    BenchInput input = BenchInput.create();
    frame = input.frame;
    verifier = input.verifier();
  }

  @Benchmark
  public Signed<ClientInput> decodeVerify() throws Rejection {
    Signed<ClientInput> signed = Codec.decodeSigned(frame, ClientInput.class);
    signed.verify(verifier);
    return signed;
  }
}
