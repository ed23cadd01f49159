package dev.mmo.protocol.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.protocol.wire.Codec;
import java.util.Arrays;

/** {@link Codec#decodeBatchHead} and batch head verification on arbitrary bytes. */
class BatchHeadFuzzTest {
  @FuzzTest(maxDuration = "15s")
  void decodeBatchHead(FuzzedDataProvider data) {
    byte[] signature = data.consumeBytes(EcdsaP256Signature.LENGTH);
    byte[] encoded = data.consumeRemainingAsBytes();
    BatchHead head;
    try {
      head = Codec.decodeBatchHead(encoded);
    } catch (Rejection expected) {
      return;
    }
    if (!Arrays.equals(Codec.encodeBatchHead(head), encoded)) {
      throw new IllegalStateException("batch head re-encodes differently");
    }
    if (signature.length == EcdsaP256Signature.LENGTH) {
      try {
        FuzzChecks.PROOFS.verifyBatchHead(head, EcdsaP256Signature.of(signature));
      } catch (Rejection expected) {
        // Only a signature by the trusted key verifies.
      }
    }
  }
}
