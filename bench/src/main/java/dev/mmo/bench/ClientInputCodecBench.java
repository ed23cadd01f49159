package dev.mmo.bench;

import dev.mmo.protocol.Rejection;
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

/** The codec alone on one signed ClientInput frame: no signature work. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ClientInputCodecBench {
  private Signed<ClientInput> signed;
  private byte[] frame;

  @Setup
  public void setUp() {
    BenchInput input = BenchInput.create();
    signed = input.signed;
    frame = input.frame;
  }

  @Benchmark
  public byte[] encode() {
    return Codec.encode(signed);
  }

  @Benchmark
  public Signed<ClientInput> decode() throws Rejection {
    return Codec.decodeSigned(frame, ClientInput.class);
  }
}
