package dev.mmo.vs.admin;

import dev.mmo.protocol.wire.GsId;

/** The game server is revoked: its enrollment is final and can no longer change. */
public final class GameServerRevokedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GameServerRevokedException(GsId gsId) {
    // No stack trace: an expected outcome of a request, not a bug.
    super("game server '" + gsId + "' is revoked", null, false, false);
  }
}
