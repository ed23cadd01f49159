package dev.mmo.vs.audit;

import static java.util.Objects.requireNonNull;

import dev.mmo.vs.batch.SignedHead;

/**
 * A signed batch head, published before any statement under it is released.
 *
 * @param head the head with the VS key's signature
 * @param epoch the chain epoch it was signed in (vs-quarkus/README.md, "Batch heads through the
 *     audit queue")
 */
public record HeadRecord(SignedHead head, long epoch) implements AuditRecord {
  public HeadRecord {
    requireNonNull(head, "head");
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be at least 1, was " + epoch);
    }
  }
}
