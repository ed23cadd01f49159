package dev.mmo.vs.batch;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Hash;

/**
 * The newest head of the batch-head chain as Redis holds it. A tip is <em>durable</em> once its
 * head is in PostgreSQL; only a durable tip may be extended, so the persisted chain never has a
 * gap. A tip left pending (its signer failed between Redis and PostgreSQL) is persisted by the next
 * signer that finds it.
 */
public record ChainTip(SignedHead head, boolean durable) {
  public ChainTip {
    requireNonNull(head, "head");
  }

  static ChainTip pending(SignedHead head) {
    return new ChainTip(head, false);
  }

  static ChainTip durable(SignedHead head) {
    return new ChainTip(head, true);
  }

  public long seq() {
    return head.seq();
  }

  public Hash hash() {
    return head.hash();
  }

  ChainTip asDurable() {
    return durable(head);
  }
}
