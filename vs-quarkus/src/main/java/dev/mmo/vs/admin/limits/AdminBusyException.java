package dev.mmo.vs.admin.limits;

/**
 * The admin API has no room for this work now: the admin worker has as many checks waiting as it
 * takes, or verifications have used their share of the VS. Answered 429 with {@code Retry-After}.
 */
public class AdminBusyException extends RuntimeException {
  private final long retryAfterSeconds;

  public AdminBusyException(String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  /** Whole seconds to wait before asking again, at least 1. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
