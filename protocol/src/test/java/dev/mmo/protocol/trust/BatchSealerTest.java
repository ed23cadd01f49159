package dev.mmo.protocol.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.crypto.Signer;
import dev.mmo.protocol.crypto.SigningException;
import dev.mmo.protocol.testing.Scenario;
import dev.mmo.protocol.testing.TestKeys;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.PlayTicket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSealerTest {
  @Test
  void seal_batchesOfEverySizeUpTo40_everyStatementVerifies() throws Exception {
    VsProofVerifier proofs = new VsProofVerifier(TrustAnchors.of(TestKeys.VS_ROOT.publicKey()));
    for (int size = 1; size <= 40; size++) {
      List<PlayTicket> tickets = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        tickets.add(Scenario.ticket(Scenario.SESSION, i + 1, Hash.ZERO));
      }
      SealedBatch batch =
          BatchSealer.seal(
              tickets, size, Sha256.hash(new byte[] {(byte) size}), Scenario.T0, TestKeys.VS_ROOT);
      assertThat(batch.head().treeSize()).isEqualTo(size);
      for (int i = 0; i < size; i++) {
        Attested<PlayTicket> attested = batch.attest(tickets.get(i), i);
        assertThat(proofs.verify(attested)).isEqualTo(tickets.get(i));
      }
    }
  }

  @Test
  void seal_signerReturnsASignatureThatDoesNotVerify_nothingReleased() {
    Signer broken =
        new Signer() {
          @Override
          public EcdsaP256PublicKey publicKey() {
            return TestKeys.VS_ROOT.publicKey();
          }

          @Override
          public EcdsaP256Signature sign(byte[] message) {
            return TestKeys.VS_ROOT_UNTRUSTED.sign(message);
          }
        };
    assertThatThrownBy(
            () ->
                BatchSealer.seal(
                    List.of(Scenario.ticket(Scenario.SESSION, 1, Hash.ZERO)),
                    0,
                    Hash.ZERO,
                    1,
                    broken))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("not released");
  }

  @Test
  void verify_cachedHeadWithAnotherSignature_stillChecked() throws Exception {
    Scenario s = new Scenario();
    VsProofVerifier proofs = new VsProofVerifier(s.anchors);
    proofs.verify(s.tickets.get(1)); // caches batch 1's head with its signature
    byte[] sig = s.batch1.signature().bytes().toByteArray();
    sig[5] ^= 1;
    Attested<PlayTicket> forged =
        new Attested<>(
            s.tickets.get(2).statement(),
            new dev.mmo.protocol.wire.VsProof(
                s.batch1.head(),
                EcdsaP256Signature.of(sig),
                1,
                s.tickets.get(2).proof().auditPath()));
    assertThatThrownBy(() -> proofs.verify(forged))
        .extracting(e -> ((Rejection) e).reason())
        .isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void verify_headOfAnUntrustedKey_unknownVsKey() throws Exception {
    Scenario untrusted = new Scenario(TestKeys.VS_ROOT_UNTRUSTED);
    VsProofVerifier proofs = new VsProofVerifier(TrustAnchors.of(TestKeys.VS_ROOT.publicKey()));
    assertThatThrownBy(() -> proofs.verify(untrusted.tickets.get(0)))
        .extracting(e -> ((Rejection) e).reason())
        .isEqualTo(Reason.UNKNOWN_VS_KEY);
  }

  @Test
  void batchHeads_ofTheScenario_formAHashChain() {
    Scenario s = new Scenario();
    assertThat(s.batch0.head().prevBatchHeadHash()).isEqualTo(Hash.ZERO);
    assertThat(s.batch1.head().prevBatchHeadHash())
        .isEqualTo(Hashes.batchHeadHash(s.batch0.head()));
    assertThat(s.batch2.head().prevBatchHeadHash())
        .isEqualTo(Hashes.batchHeadHash(s.batch1.head()));
  }
}
