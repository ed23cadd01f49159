package dev.mmo.protocol;

import static java.util.Objects.requireNonNull;

/**
 * The one way the protocol says no: a {@link Reason} plus a detail for logs.
 *
 * <p>Checked, so that no caller can forget that decoding and verification fail. The detail is for
 * operators; peers only ever receive the reason code. No stack trace is captured: rejecting hostile
 * input must stay cheap.
 */
public final class Rejection extends Exception {
  private static final long serialVersionUID = 1L;

  private final Reason reason;

  public Rejection(Reason reason, String detail) {
    super(
        requireNonNull(reason, "reason") + ": " + requireNonNull(detail, "detail"),
        null,
        false,
        false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
