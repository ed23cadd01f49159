package dev.mmo.vs.admin;

import io.vertx.pgclient.PgException;
import org.hibernate.exception.ConstraintViolationException;

/** Recognises PostgreSQL's unique_violation (SQLSTATE 23505) however it is wrapped. */
final class UniqueViolation {
  private static final String SQLSTATE = "23505";

  private UniqueViolation() {}

  static boolean test(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException pg && SQLSTATE.equals(pg.getSqlState())) {
        return true;
      }
      if (t instanceof ConstraintViolationException cv && SQLSTATE.equals(cv.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
