package dev.mmo.vs.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.protocol.chain.ReceiptTip;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.vs.admin.ReceiptVerification.CounterTip;
import dev.mmo.vs.admin.ReceiptVerification.ReceiptCheck;
import dev.mmo.vs.admin.ReceiptVerification.ReceiptStatus;
import dev.mmo.vs.admin.ReceiptVerification.TipCheck;
import dev.mmo.vs.admin.ReceiptVerification.TipStatus;
import dev.mmo.vs.admin.ReceiptVerification.TranscriptResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparisons behind POST /api/sessions/{id}/receipts/verify, without a running VS. */
class ReceiptVerificationTest {
  /** Stand-ins for input frames: the fold hashes whatever bytes it is given. */
  private static final List<byte[]> INPUTS =
      List.of(bytes("input 1"), bytes("input 2"), bytes("input 3"), bytes("input 4"));

  /** tips.get(i) is the fold of the first i inputs. */
  private static final List<Hash> TIPS = fold(INPUTS);

  @Test
  void fold_followsProtocolSection72() {
    // receipt_tip_1 = SHA-256(32 zero bytes || SHA-256(frame_1)), spelled out independently.
    Hash expected = Sha256.hash(new byte[32], Sha256.digest(INPUTS.get(0)));

    TranscriptResult result = ReceiptVerification.checkTranscript(INPUTS.subList(0, 1), List.of());

    assertThat(result.finalTip()).isEqualTo(expected);
    assertThat(result.inputs()).isEqualTo(1);
  }

  @Test
  void checkTranscript_everyReceiptAPrefix_allMatchedWithTheirPrefixLengths() {
    List<CounterTip> receipts =
        List.of(
            new CounterTip(1, TIPS.get(0)),
            new CounterTip(2, TIPS.get(2)),
            new CounterTip(3, TIPS.get(2)),
            new CounterTip(7, TIPS.get(4)));

    TranscriptResult result = ReceiptVerification.checkTranscript(INPUTS, receipts);

    assertThat(result.receipts())
        .extracting(ReceiptCheck::status)
        .containsOnly(ReceiptStatus.MATCHED);
    assertThat(result.receipts()).extracting(ReceiptCheck::inputCount).containsExactly(0, 2, 2, 4);
    assertThat(result.consistent()).isTrue();
    assertThat(result.finalTip()).isEqualTo(TIPS.get(4));
  }

  @Test
  void checkTranscript_receiptGoesBackInHistory_notReproduced() {
    // Counter 3 claims a tip the transcript reached before counter 2's: the GS rewrote history.
    List<CounterTip> receipts =
        List.of(new CounterTip(2, TIPS.get(3)), new CounterTip(3, TIPS.get(1)));

    TranscriptResult result = ReceiptVerification.checkTranscript(INPUTS, receipts);

    assertThat(result.receipts())
        .extracting(ReceiptCheck::status)
        .containsExactly(ReceiptStatus.MATCHED, ReceiptStatus.NOT_REPRODUCED);
    assertThat(result.receipts().get(1).inputCount()).isNull();
    assertThat(result.consistent()).isFalse();
  }

  @Test
  void checkTranscript_inputDropped_laterReceiptsNotReproduced() {
    List<byte[]> dropped = new ArrayList<>(INPUTS);
    dropped.remove(1);
    List<CounterTip> receipts =
        List.of(new CounterTip(1, TIPS.get(1)), new CounterTip(2, TIPS.get(3)));

    TranscriptResult result = ReceiptVerification.checkTranscript(dropped, receipts);

    assertThat(result.receipts())
        .extracting(ReceiptCheck::status)
        .containsExactly(ReceiptStatus.MATCHED, ReceiptStatus.NOT_REPRODUCED);
    assertThat(result.consistent()).isFalse();
  }

  @Test
  void checkTranscript_noReceipts_consistentAndEmpty() {
    TranscriptResult result = ReceiptVerification.checkTranscript(INPUTS, List.of());

    assertThat(result.receipts()).isEmpty();
    assertThat(result.consistent()).isTrue();
  }

  @Test
  void checkTranscript_receiptsOutOfOrder_refusedAsABug() {
    List<CounterTip> receipts =
        List.of(new CounterTip(2, TIPS.get(0)), new CounterTip(2, TIPS.get(0)));

    assertThatThrownBy(() -> ReceiptVerification.checkTranscript(INPUTS, receipts))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void checkTips_eachClaimGetsItsStatusAndTheNotarizedTip() {
    Map<Long, Hash> notarized = Map.of(1L, TIPS.get(1), 2L, TIPS.get(2));
    List<CounterTip> claims =
        List.of(
            new CounterTip(1, TIPS.get(1)),
            new CounterTip(2, TIPS.get(3)),
            new CounterTip(3, TIPS.get(3)));

    List<TipCheck> checks = ReceiptVerification.checkTips(claims, notarized);

    assertThat(checks)
        .extracting(TipCheck::status)
        .containsExactly(TipStatus.NOTARIZED, TipStatus.MISMATCH, TipStatus.NOT_NOTARIZED);
    assertThat(checks)
        .extracting(TipCheck::notarizedTip)
        .containsExactly(TIPS.get(1), TIPS.get(2), null);
  }

  private static List<Hash> fold(List<byte[]> inputs) {
    List<Hash> tips = new ArrayList<>();
    Hash tip = ReceiptTip.GENESIS;
    tips.add(tip);
    for (byte[] input : inputs) {
      tip = ReceiptTip.fold(tip, input);
      tips.add(tip);
    }
    return List.copyOf(tips);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
