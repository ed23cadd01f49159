package dev.mmo.protocol.trust;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.protocol.wire.VsProof;
import dev.mmo.protocol.wire.VsStatement;
import java.util.List;

/**
 * A signed batch: its head, the root key's signature over the head, and one proof per leaf in leaf
 * order.
 */
public record SealedBatch(BatchHead head, EcdsaP256Signature signature, List<VsProof> proofs) {
  public SealedBatch {
    requireNonNull(head, "head");
    requireNonNull(signature, "signature");
    proofs = List.copyOf(proofs);
    if (proofs.size() != head.treeSize()) {
      throw new IllegalArgumentException("one proof per leaf");
    }
  }

  /** {@code statement}, which was leaf {@code index} of this batch, with its proof. */
  public <S extends VsStatement> Attested<S> attest(S statement, int index) {
    return new Attested<>(statement, proofs.get(index));
  }
}
