package dev.mmo.vs.audit;

/** A message on the audit queue that is not a valid audit envelope; it is dead-lettered. */
public class MalformedAuditRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedAuditRecordException(String message) {
    super(message);
  }

  public MalformedAuditRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
