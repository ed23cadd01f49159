package dev.mmo.protocol.trust;

import dev.mmo.protocol.crypto.EcdsaP256;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Signer;
import dev.mmo.protocol.crypto.SigningException;
import dev.mmo.protocol.merkle.Merkle;
import dev.mmo.protocol.merkle.MerkleTree;
import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.VsProof;
import dev.mmo.protocol.wire.VsStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a batch of VS statements into Merkle leaves, has the root key sign one batch head over
 * their root, checks that signature before anything is released, and hands out one proof per
 * statement. Pure: windowing, chaining state and persistence belong to the caller.
 */
public final class BatchSealer {
  private BatchSealer() {}

  /** Seals {@code statements} (leaf i is statement i). */
  public static SealedBatch seal(
      List<? extends VsStatement> statements,
      long batchSeq,
      Hash prevBatchHeadHash,
      long timeMs,
      Signer signer)
      throws SigningException {
    List<byte[]> leaves = new ArrayList<>(statements.size());
    for (VsStatement s : statements) {
      leaves.add(Codec.statementBytes(s));
    }
    return sealLeaves(leaves, batchSeq, prevBatchHeadHash, timeMs, signer);
  }

  /**
   * Seals raw leaf data (each element is a statement's bytes, domain label included).
   *
   * @throws SigningException when the signer fails or returns a signature that does not verify
   *     under its own public key; nothing is released then
   */
  public static SealedBatch sealLeaves(
      List<byte[]> leafData, long batchSeq, Hash prevBatchHeadHash, long timeMs, Signer signer)
      throws SigningException {
    List<Hash> leafHashes = new ArrayList<>(leafData.size());
    for (byte[] data : leafData) {
      leafHashes.add(Merkle.leafHash(data));
    }
    MerkleTree tree = MerkleTree.build(leafHashes);
    BatchHead head =
        new BatchHead(
            signer.keyId(), batchSeq, prevBatchHeadHash, timeMs, tree.size(), tree.root());
    byte[] signingInput = Codec.batchHeadSigningInput(head);
    EcdsaP256Signature signature = signer.sign(signingInput);
    // Verified once: by the signer itself when it says so (a P-256 verify costs about 1 ms here).
    if (!signer.verifiesItsSignatures()
        && !EcdsaP256.verify(signer.publicKey(), signingInput, signature)) {
      throw new SigningException(
          "batch head signature does not verify; batch " + batchSeq + " not released");
    }
    List<VsProof> proofs = new ArrayList<>(tree.size());
    for (int i = 0; i < tree.size(); i++) {
      proofs.add(new VsProof(head, signature, i, tree.auditPath(i)));
    }
    return new SealedBatch(head, signature, proofs);
  }
}
