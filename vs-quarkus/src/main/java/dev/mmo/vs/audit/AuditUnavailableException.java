package dev.mmo.vs.audit;

/**
 * A record could not be made durable now: the broker is unreachable, refused it, did not confirm it
 * in time, or too many records await a confirm. Whoever needed the record releases nothing and
 * answers {@code SERVICE_UNAVAILABLE}.
 */
public class AuditUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuditUnavailableException(String message) {
    super(message);
  }

  public AuditUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
