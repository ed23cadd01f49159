package dev.mmo.vs.admin;

import dev.mmo.protocol.wire.SessionId;

/** No session with this id was ever admitted. */
public final class SessionNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SessionNotFoundException(SessionId sessionId) {
    // No stack trace: an expected outcome of a request, not a bug.
    super("no session " + sessionId.hex(), null, false, false);
  }
}
