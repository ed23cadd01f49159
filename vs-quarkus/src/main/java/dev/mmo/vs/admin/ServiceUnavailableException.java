package dev.mmo.vs.admin;

/** A part the request needs (Redis, the audit trail) is down: nothing was decided. */
public final class ServiceUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ServiceUnavailableException(String what, Throwable cause) {
    super(what, cause);
  }
}
