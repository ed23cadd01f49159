package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.KeyId;

/**
 * What the VS root key signs once per batch: the Merkle root over the batch's statements, chained
 * to the previous head so the VS's history is append-only.
 *
 * @param keyId the signing key
 * @param batchSeq 0 for the first batch of a chain, then +1 per batch
 * @param prevBatchHeadHash hash of the previous head ({@link Hash#ZERO} when batchSeq is 0)
 * @param timeMs VS time the batch was closed, ms since the Unix epoch
 * @param treeSize leaves in the batch, 1..2^32-1
 * @param root the RFC 9162 Merkle tree hash of the leaves
 */
public record BatchHead(
    KeyId keyId, long batchSeq, Hash prevBatchHeadHash, long timeMs, long treeSize, Hash root) {
  public BatchHead {
    requireNonNull(keyId, "keyId");
    requireNonNull(prevBatchHeadHash, "prevBatchHeadHash");
    requireNonNull(root, "root");
    Checks.nonNegative(batchSeq, "batchSeq");
    Checks.nonNegative(timeMs, "timeMs");
    if (treeSize < 1 || treeSize > Limits.MAX_TREE_SIZE) {
      throw new IllegalArgumentException("tree size out of range: " + treeSize);
    }
    if ((batchSeq == 0) != prevBatchHeadHash.equals(Hash.ZERO)) {
      throw new IllegalArgumentException(
          "prev_batch_head_hash must be zero exactly for the first batch head (batch_seq 0)");
    }
  }
}
