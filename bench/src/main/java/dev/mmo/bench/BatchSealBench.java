package dev.mmo.bench;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.crypto.SigningException;
import dev.mmo.protocol.trust.BatchSealer;
import dev.mmo.protocol.trust.SealedBatch;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.SessionId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The VS batch path on one thread: {@code batchSize} statements (ProtectedReceipts, 123 bytes each
 * with their label) encoded, hashed into a Merkle tree, its head signed on SoftHSM and verified
 * twice (by the signer, as the VS's HsmSigner does, and by BatchSealer), and one proof built per
 * statement. One operation is one batch; the {@code statements} and {@code hsmSignatures} counters
 * give statements per second and HSM signatures per statement.
 *
 * <p>Not measured here: the batch window (a latency, not a cost), the Redis compare-and-set and the
 * PostgreSQL insert of each head (network round trips the VS overlaps with gathering the next
 * batch).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BatchSealBench {
  @Param({"1", "100", "1000"})
  public int batchSize;

  private Pkcs11Token.CountingSigner signer;
  private List<ProtectedReceipt> statements;
  private final Hash prevHead = Sha256.hash(label("mmo bench previous head"));

  /** What the batches added up to in one iteration; JMH reports each as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Covered {
    public long statements;
    public long hsmSignatures;

    @Setup(Level.Iteration)
    public void reset() {
      statements = 0;
      hsmSignatures = 0;
    }
  }

  @Setup
  public void setUp() throws SigningException {
    signer = Pkcs11Token.open().signer();
    SessionId session =
        new SessionId(Bytes.copyOf(Sha256.digest(label("mmo bench session")), 0, SessionId.LENGTH));
    statements = new ArrayList<>(batchSize);
    for (int i = 1; i <= batchSize; i++) {
      statements.add(
          new ProtectedReceipt(
              session,
              i,
              Sha256.hash(label("mmo bench receipt tip " + i)),
              Sha256.hash(label("mmo bench digest " + i)),
              1_700_000_000_000L + i));
    }
    // A batch that does not seal would time the failure path.
    BatchSealer.seal(statements, 1, prevHead, 1_700_000_000_000L, signer);
  }

  @Benchmark
  public SealedBatch seal(Covered covered) throws SigningException {
    long before = signer.signatures();
    SealedBatch batch = BatchSealer.seal(statements, 1, prevHead, 1_700_000_000_000L, signer);
    covered.statements += batch.proofs().size();
    covered.hsmSignatures += signer.signatures() - before;
    return batch;
  }

  private static byte[] label(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
