package dev.mmo.gs.vs;

import dev.mmo.protocol.crypto.Hash;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The digests sent and not yet receipted, oldest first, at most {@code capacity}: a receipt must
 * match one of them exactly (protocol.md 9.3). When full, the oldest is forgotten.
 */
final class SentDigests {
  private record Sent(long gsCounter, Hash receiptTip, Hash digestHash) {}

  private final int capacity;
  private final ArrayDeque<Sent> sent;

  SentDigests(int capacity) {
    this.capacity = capacity;
    this.sent = new ArrayDeque<>(capacity);
  }

  void add(long gsCounter, Hash receiptTip, Hash digestHash) {
    if (sent.size() == capacity) {
      sent.removeFirst();
    }
    sent.addLast(new Sent(gsCounter, receiptTip, digestHash));
  }

  /** Removes and reports the digest the receipt names, if it is one of those kept. */
  boolean take(long gsCounter, Hash receiptTip, Hash digestHash) {
    for (Iterator<Sent> it = sent.iterator(); it.hasNext(); ) {
      Sent s = it.next();
      if (s.gsCounter == gsCounter) {
        if (s.receiptTip.equals(receiptTip) && s.digestHash.equals(digestHash)) {
          it.remove();
          return true;
        }
        return false;
      }
    }
    return false;
  }

  int size() {
    return sent.size();
  }
}
