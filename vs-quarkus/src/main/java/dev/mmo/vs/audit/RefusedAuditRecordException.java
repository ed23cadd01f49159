package dev.mmo.vs.audit;

/** A record that contradicts what PostgreSQL holds and can never be written as it is. */
public final class RefusedAuditRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RefusedAuditRecordException(String message) {
    super(message);
  }
}
