package dev.mmo.vs.batch;

/** The VS cannot back a statement right now: nothing is issued (fail closed). */
public final class SigningUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SigningUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public SigningUnavailableException(String message) {
    super(message);
  }
}
