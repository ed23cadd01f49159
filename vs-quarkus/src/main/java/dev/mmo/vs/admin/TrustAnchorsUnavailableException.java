package dev.mmo.vs.admin;

/** The VS has not read its public key from the HSM yet: no login to the token has succeeded. */
public final class TrustAnchorsUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrustAnchorsUnavailableException() {
    super("the VS has not read its key from the HSM yet; see its readiness");
  }
}
