package dev.mmo.protocol.crypto;

/** A {@link Signer} could not sign: the HSM is unreachable, logged out, or returned garbage. */
public final class SigningException extends Exception {
  private static final long serialVersionUID = 1L;

  public SigningException(String message, Throwable cause) {
    super(message, cause);
  }

  public SigningException(String message) {
    super(message);
  }
}
