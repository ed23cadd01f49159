package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Hash;
import java.util.List;

/**
 * Proof that a statement is leaf {@code leafIndex} of the batch whose head the VS root key signed.
 *
 * @param auditPath sibling hashes from the leaf up to the root (RFC 9162, section 2.1.3)
 */
public record VsProof(
    BatchHead batchHead, EcdsaP256Signature headSignature, long leafIndex, List<Hash> auditPath) {
  public VsProof {
    requireNonNull(batchHead, "batchHead");
    requireNonNull(headSignature, "headSignature");
    auditPath = List.copyOf(auditPath);
    if (leafIndex < 0 || leafIndex >= batchHead.treeSize()) {
      throw new IllegalArgumentException(
          "leaf index " + leafIndex + " outside tree of size " + batchHead.treeSize());
    }
    if (auditPath.size() > Limits.MAX_AUDIT_PATH) {
      throw new IllegalArgumentException("audit path too long: " + auditPath.size());
    }
  }
}
