package dev.mmo.vs.batch;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.EcdsaP256;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.trust.SealedBatch;
import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Hashes;

/** A batch head with the root key's signature over it: one link of the VS's batch-head chain. */
public record SignedHead(BatchHead head, EcdsaP256Signature signature) {
  public SignedHead {
    requireNonNull(head, "head");
    requireNonNull(signature, "signature");
  }

  static SignedHead of(SealedBatch sealed) {
    return new SignedHead(sealed.head(), sealed.signature());
  }

  public long seq() {
    return head.batchSeq();
  }

  /** The batch head hash: what the next head's {@code prev_batch_head_hash} holds. */
  public Hash hash() {
    return Hashes.batchHeadHash(head);
  }

  /** Whether {@code key} made this signature over this head (docs/protocol.md section 6.1). */
  public boolean isSignedBy(EcdsaP256PublicKey key) {
    return head.keyId().equals(key.keyId())
        && EcdsaP256.verify(key, Codec.batchHeadSigningInput(head), signature);
  }
}
