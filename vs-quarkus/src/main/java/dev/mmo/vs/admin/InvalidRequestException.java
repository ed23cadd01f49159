package dev.mmo.vs.admin;

import static java.util.Objects.requireNonNull;

import dev.mmo.vs.admin.problem.ProblemCode;

/** A request the admin API refuses as malformed: a 400 with {@code code}. */
public final class InvalidRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ProblemCode code;

  public InvalidRequestException(ProblemCode code, String detail) {
    super(detail, null, false, false);
    this.code = requireNonNull(code, "code");
    if (code.status() != 400) {
      throw new IllegalArgumentException(code + " is not a bad-request code");
    }
  }

  public ProblemCode code() {
    return code;
  }
}
