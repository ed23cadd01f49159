package dev.mmo.vs.batch;

import static java.util.Objects.requireNonNull;

/** Why a batch could not be signed, chained and recorded; the reason tags the failure metric. */
final class BatchFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The parts a batch depends on, and the ways the signer itself refuses. */
  enum Reason {
    HSM("hsm"),
    REDIS("redis"),
    DATABASE("database"),
    /** The broker did not confirm a head's audit record. */
    AUDIT("audit"),
    CHAIN("chain"),
    TIMEOUT("timeout"),
    QUEUE_FULL("queue-full"),
    SHUTDOWN("shutdown"),
    /** A failure none of the above explains: a bug, still failed closed. */
    INTERNAL("internal");

    private final String tag;

    Reason(String tag) {
      this.tag = tag;
    }

    String tag() {
      return tag;
    }
  }

  private final Reason reason;

  BatchFailure(Reason reason, String message, Throwable underlying) {
    super(message, underlying);
    this.reason = requireNonNull(reason, "reason");
  }

  BatchFailure(Reason reason, String message) {
    this(reason, message, null);
  }

  Reason reason() {
    return reason;
  }

  /** {@code failure} as a BatchFailure for {@code reason}, unless it already is one. */
  static BatchFailure of(Reason reason, String what, Throwable failure) {
    return failure instanceof BatchFailure known
        ? known
        : new BatchFailure(reason, what + ": " + failure, failure);
  }
}
