package dev.mmo.vs.admin;

import dev.mmo.protocol.wire.SessionId;

/** The session was revoked or ended before: there is nothing left to revoke. */
public final class SessionNotActiveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SessionNotActiveException(SessionId id) {
    // No stack trace: an expected outcome of a request, not a bug.
    super("session " + id.hex() + " is not active", null, false, false);
  }
}
