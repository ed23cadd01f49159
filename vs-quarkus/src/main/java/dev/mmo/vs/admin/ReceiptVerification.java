package dev.mmo.vs.admin;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.chain.ReceiptTip;
import dev.mmo.protocol.crypto.Hash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares claims about a session's history with what the VS notarized, without any I/O: either a
 * list of receipt tips, or a transcript of inputs folded as docs/protocol.md section 7.2 says.
 */
public final class ReceiptVerification {
  private ReceiptVerification() {}

  /** A receipt tip at a counter: claimed by a caller, or notarized by the VS. */
  record CounterTip(long gsCounter, Hash receiptTip) {
    CounterTip {
      requireNonNull(receiptTip, "receiptTip");
    }
  }

  /** What became of one claimed tip. */
  public enum TipStatus {
    /** The VS notarized this tip at this counter. */
    NOTARIZED,
    /** The VS notarized another tip at this counter. */
    MISMATCH,
    /** The VS notarized nothing at this counter. */
    NOT_NOTARIZED
  }

  /** What became of one notarized receipt when the transcript was folded. */
  public enum ReceiptStatus {
    /** The fold of the transcript's first {@code inputCount} inputs is the receipt's tip. */
    MATCHED,
    /** No prefix of the transcript, at or after the previous receipt's, folds to its tip. */
    NOT_REPRODUCED
  }

  /**
   * @param notarizedTip what the VS notarized at the counter, or null when nothing
   */
  record TipCheck(long gsCounter, Hash receiptTip, TipStatus status, Hash notarizedTip) {}

  /**
   * @param inputCount the length of the matching prefix; null when NOT_REPRODUCED
   */
  record ReceiptCheck(long gsCounter, Hash receiptTip, ReceiptStatus status, Integer inputCount) {}

  /**
   * @param finalTip the fold of the whole transcript
   */
  record TranscriptResult(int inputs, Hash finalTip, List<ReceiptCheck> receipts) {
    boolean consistent() {
      return receipts.stream().allMatch(r -> r.status() == ReceiptStatus.MATCHED);
    }
  }

  /**
   * Checks each claimed tip against the notarized tip of its counter.
   *
   * @param notarized the session's notarized tips, by counter (at least those of the claims)
   */
  static List<TipCheck> checkTips(List<CounterTip> claims, Map<Long, Hash> notarized) {
    List<TipCheck> checks = new ArrayList<>(claims.size());
    for (CounterTip claim : claims) {
      Hash stored = notarized.get(claim.gsCounter());
      TipStatus status;
      if (stored == null) {
        status = TipStatus.NOT_NOTARIZED;
      } else if (stored.equals(claim.receiptTip())) {
        status = TipStatus.NOTARIZED;
      } else {
        status = TipStatus.MISMATCH;
      }
      checks.add(new TipCheck(claim.gsCounter(), claim.receiptTip(), status, stored));
    }
    return checks;
  }

  /**
   * Folds {@code inputs} (complete ClientInput frames, in the order the GS applied them) and checks
   * every notarized receipt, in counter order: its tip must be the fold of some prefix of the
   * inputs, and the prefixes may never get shorter, since a later receipt commits to everything an
   * earlier one did. A receipt that is not reproduced does not move the prefix on.
   *
   * @param receipts the session's notarized receipts in increasing counter order
   */
  static TranscriptResult checkTranscript(List<byte[]> inputs, List<CounterTip> receipts) {
    // Where each tip of the fold first appears. SHA-256 does not repeat in practice, so every tip
    // of the fold is distinct and "first" is "only".
    Map<Hash, Integer> prefixOf = new HashMap<>(2 * inputs.size() + 2);
    Hash tip = ReceiptTip.GENESIS;
    prefixOf.put(tip, 0);
    for (int i = 0; i < inputs.size(); i++) {
      tip = ReceiptTip.fold(tip, inputs.get(i));
      prefixOf.putIfAbsent(tip, i + 1);
    }
    List<ReceiptCheck> checks = new ArrayList<>(receipts.size());
    int covered = 0;
    long previousCounter = 0;
    for (CounterTip receipt : receipts) {
      if (receipt.gsCounter() <= previousCounter) {
        throw new IllegalArgumentException("receipts must be in increasing counter order");
      }
      previousCounter = receipt.gsCounter();
      Integer prefix = prefixOf.get(receipt.receiptTip());
      if (prefix != null && prefix >= covered) {
        covered = prefix;
        checks.add(
            new ReceiptCheck(
                receipt.gsCounter(), receipt.receiptTip(), ReceiptStatus.MATCHED, prefix));
      } else {
        checks.add(
            new ReceiptCheck(
                receipt.gsCounter(), receipt.receiptTip(), ReceiptStatus.NOT_REPRODUCED, null));
      }
    }
    return new TranscriptResult(inputs.size(), tip, List.copyOf(checks));
  }
}
