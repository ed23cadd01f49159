package dev.mmo.protocol.trust;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.EcdsaP256;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.merkle.Merkle;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.VsProof;
import dev.mmo.protocol.wire.VsStatement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks that the VS root key covered a statement: leaf hash, audit path up to the batch root, and
 * the ECDSA signature over the batch head by a trusted key.
 *
 * <p>A batch head signed once covers hundreds of statements, so heads whose signature verified are
 * remembered (by their exact bytes and signature) and only the cheap Merkle part runs again.
 * Thread-safe.
 */
public final class VsProofVerifier {
  public static final int DEFAULT_CACHE_SIZE = 1024;

  private final TrustAnchors anchors;
  private final Map<Bytes, Boolean> verifiedHeads;

  public VsProofVerifier(TrustAnchors anchors) {
    this(anchors, DEFAULT_CACHE_SIZE);
  }

  public VsProofVerifier(TrustAnchors anchors, int cacheSize) {
    this.anchors = requireNonNull(anchors, "anchors");
    if (cacheSize < 0) {
      throw new IllegalArgumentException("negative cache size");
    }
    this.verifiedHeads =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Bytes, Boolean> eldest) {
            return size() > cacheSize;
          }
        };
  }

  /**
   * Verifies {@code attested} and returns its statement.
   *
   * @throws Rejection {@link Reason#UNKNOWN_VS_KEY} when the head names an untrusted key, {@link
   *     Reason#BAD_PROOF} when the statement is not in the signed tree, {@link
   *     Reason#BAD_SIGNATURE} when the head's signature does not verify
   */
  public <S extends VsStatement> S verify(Attested<S> attested) throws Rejection {
    verify(Codec.statementBytes(attested.statement()), attested.proof());
    return attested.statement();
  }

  /** Verifies that {@code statementBytes} (label included) is covered by {@code proof}. */
  public void verify(byte[] statementBytes, VsProof proof) throws Rejection {
    BatchHead head = proof.batchHead();
    EcdsaP256PublicKey key = trustedKey(head);
    Hash root =
        Merkle.rootFromAuditPath(
            Merkle.leafHash(statementBytes), proof.leafIndex(), head.treeSize(), proof.auditPath());
    if (!root.equals(head.root())) {
      throw new Rejection(Reason.BAD_PROOF, "statement is not in the signed batch");
    }
    verifyHead(key, head, proof.headSignature());
  }

  /** Verifies a batch head's signature by a trusted key. */
  public void verifyBatchHead(BatchHead head, EcdsaP256Signature signature) throws Rejection {
    EcdsaP256PublicKey key = trustedKey(head);
    verifyHead(key, head, signature);
  }

  private EcdsaP256PublicKey trustedKey(BatchHead head) throws Rejection {
    return anchors
        .find(head.keyId())
        .orElseThrow(
            () -> new Rejection(Reason.UNKNOWN_VS_KEY, "untrusted VS key " + head.keyId().hex()));
  }

  private void verifyHead(EcdsaP256PublicKey key, BatchHead head, EcdsaP256Signature signature)
      throws Rejection {
    byte[] signed = Codec.batchHeadSigningInput(head);
    byte[] cacheKey = new byte[signed.length + EcdsaP256Signature.LENGTH];
    System.arraycopy(signed, 0, cacheKey, 0, signed.length);
    signature.bytes().copyTo(cacheKey, signed.length);
    Bytes entry = Bytes.copyOf(cacheKey);
    synchronized (verifiedHeads) {
      if (verifiedHeads.containsKey(entry)) {
        return;
      }
    }
    if (!EcdsaP256.verify(key, signed, signature)) {
      throw new Rejection(Reason.BAD_SIGNATURE, "batch head signature does not verify");
    }
    synchronized (verifiedHeads) {
      verifiedHeads.put(entry, Boolean.TRUE);
    }
  }
}
