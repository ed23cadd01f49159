package dev.mmo.vs.gs;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import io.smallrye.mutiny.Uni;
import java.util.function.Function;

/**
 * Carries a protocol {@link Rejection} through a Uni pipeline, whose lambdas cannot throw checked
 * exceptions. The transport unwraps it in one place and closes the connection with its reason.
 *
 * <p>{@link #authenticated()} tells whether the refused request's signature had verified: only
 * those rejections are worth a row in the audit trail, everything else is only counted (anyone can
 * send unsigned garbage).
 */
public final class RejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Rejection rejection;
  private final boolean authenticated;

  public RejectedException(Rejection rejection) {
    this(rejection, false);
  }

  private RejectedException(Rejection rejection, boolean authenticated) {
    super(rejection.getMessage(), rejection, false, false);
    this.rejection = rejection;
    this.authenticated = authenticated;
  }

  public static RejectedException of(Reason reason, String detail) {
    return new RejectedException(new Rejection(reason, detail));
  }

  /**
   * Fails a pipeline that needs {@code part} (Redis, PostgreSQL) with {@link
   * Reason#SERVICE_UNAVAILABLE} when that part fails; a rejection passes through as it is. Use with
   * {@code Uni.plug}.
   */
  public static <T> Function<Uni<T>, Uni<T>> whenDown(String part) {
    return uni ->
        uni.onFailure(f -> !(f instanceof RejectedException))
            .transform(f -> of(Reason.SERVICE_UNAVAILABLE, part + " failed: " + f));
  }

  /**
   * {@code failure} as the failure of a request whose signature verified: a rejection is marked
   * {@link #authenticated()}; anything else (a part the VS needs being down, a bug) is left as it
   * is.
   */
  public static Throwable afterAuthentication(Throwable failure) {
    return failure instanceof RejectedException r
        ? new RejectedException(r.rejection, true)
        : failure;
  }

  public Rejection rejection() {
    return rejection;
  }

  /** Whether the refused request's signature had verified. */
  public boolean authenticated() {
    return authenticated;
  }
}
