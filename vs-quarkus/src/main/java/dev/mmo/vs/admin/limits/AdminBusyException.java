package dev.mmo.vs.admin.limits;

/** The admin worker has as many checks waiting as it takes: answered 429, retry in a second. */
public class AdminBusyException extends RuntimeException {
  public AdminBusyException() {
    super("the VS is checking as many verifications as it takes at once", null, false, false);
  }
}
