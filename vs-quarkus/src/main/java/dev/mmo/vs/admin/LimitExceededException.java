package dev.mmo.vs.admin;

import static java.util.Objects.requireNonNull;

import dev.mmo.vs.admin.problem.ProblemCode;

/**
 * A well-formed request that asks for more work than the admin API does in one go (413 or 422 with
 * {@code code}): refused whole rather than answered in part.
 */
public final class LimitExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ProblemCode code;

  public LimitExceededException(ProblemCode code, String detail) {
    super(detail, null, false, false);
    this.code = requireNonNull(code, "code");
    if (code.status() != 413 && code.status() != 422) {
      throw new IllegalArgumentException(code + " is not a limit code");
    }
  }

  public ProblemCode code() {
    return code;
  }
}
