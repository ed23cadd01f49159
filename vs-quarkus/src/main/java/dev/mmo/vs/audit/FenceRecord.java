package dev.mmo.vs.audit;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/**
 * A marker a chain rebuild sends through the audit queue. The queue has a single active consumer
 * that writes in order, so once the fence is in PostgreSQL, so is every record the broker confirmed
 * before the fence was published.
 */
public record FenceRecord(UUID id) implements AuditRecord {
  public FenceRecord {
    requireNonNull(id, "id");
  }
}
