package dev.mmo.vs.admin;

/** The roles of the admin API, carried in the JWT {@code groups} claim. */
public final class Roles {
  /** Reads: game servers, sessions, receipts, revocations; verifies claims against receipts. */
  public static final String OPERATOR = "operator";

  /** Reads and writes: enrolls, changes allow-lists, revokes. */
  public static final String ADMIN = "admin";

  private Roles() {}
}
