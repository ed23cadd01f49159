package dev.mmo.client;

import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.SigningException;
import dev.mmo.protocol.crypto.SoftwareEcdsaSigner;
import dev.mmo.protocol.trust.BatchSealer;
import dev.mmo.protocol.trust.SealedBatch;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.VsStatement;
import java.security.SecureRandom;
import java.util.List;

/** A VS root key for tests: statements really sealed, one batch each, as the VS does. */
final class VsRoot {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SoftwareEcdsaSigner signer = SoftwareEcdsaSigner.generate(RANDOM);
  private long batchSeq;
  private Hash prevHead = Hash.ZERO;

  EcdsaP256PublicKey publicKey() {
    return signer.publicKey();
  }

  TrustAnchors anchors() {
    return TrustAnchors.of(publicKey());
  }

  synchronized <S extends VsStatement> Attested<S> seal(S statement, long nowMs) {
    try {
      SealedBatch batch = BatchSealer.seal(List.of(statement), batchSeq++, prevHead, nowMs, signer);
      prevHead = Hashes.batchHeadHash(batch.head());
      return batch.attest(statement, 0);
    } catch (SigningException e) {
      throw new IllegalStateException(e);
    }
  }
}
