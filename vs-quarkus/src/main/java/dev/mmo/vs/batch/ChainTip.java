package dev.mmo.vs.batch;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Hash;
import java.util.Optional;

/**
 * The newest head of the batch-head chain as Redis holds it, in its epoch.
 *
 * <p>A tip is <em>durable</em> once the broker confirmed its head's audit record; only a durable
 * tip is extended, so every head reaches PostgreSQL before its successor exists. A tip is
 * <em>committed</em> once PostgreSQL records its epoch (a rebuild writes the tip before it commits
 * the epoch); an uncommitted tip is never extended. An epoch's first tip may have no head yet: the
 * chain is empty, or starts over from a head that only PostgreSQL had.
 *
 * @param epoch the chain epoch (vs-quarkus/README.md, "Batch heads through the audit queue")
 * @param head the newest head; empty before the first head of a new chain
 */
public record ChainTip(long epoch, Optional<SignedHead> head, boolean durable, boolean committed) {
  public ChainTip {
    requireNonNull(head, "head");
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be at least 1, was " + epoch);
    }
  }

  /** A rebuilt tip of a new epoch, not yet committed in PostgreSQL. */
  static ChainTip rebuilt(long epoch, Optional<SignedHead> newest) {
    return new ChainTip(epoch, newest, true, false);
  }

  /** The tip that names {@code next}, signed onto this one, before its record is confirmed. */
  ChainTip extendedBy(SignedHead next) {
    return new ChainTip(epoch, Optional.of(next), false, true);
  }

  ChainTip asDurable() {
    return new ChainTip(epoch, head, true, committed);
  }

  ChainTip asCommitted() {
    return new ChainTip(epoch, head, durable, true);
  }

  /** The batch_seq of the head; -1 when there is none. */
  public long seq() {
    return head.map(SignedHead::seq).orElse(-1L);
  }

  /** The head's hash, which the next head names; {@link Hash#ZERO} when there is none. */
  public Hash hash() {
    return head.map(SignedHead::hash).orElse(Hash.ZERO);
  }

  /** Whether the tip is {@code other}'s position or beyond, in the same epoch. */
  boolean reaches(ChainTip other) {
    return committed && epoch == other.epoch && seq() >= other.seq();
  }
}
