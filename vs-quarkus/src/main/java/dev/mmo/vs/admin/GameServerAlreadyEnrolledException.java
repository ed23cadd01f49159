package dev.mmo.vs.admin;

import dev.mmo.protocol.wire.GsId;

/**
 * A game server was enrolled under this id before (ids are never reused, even after a revocation).
 */
public final class GameServerAlreadyEnrolledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GameServerAlreadyEnrolledException(GsId gsId) {
    // No stack trace: an expected outcome of a request, not a bug.
    super(
        "game server '" + gsId + "' was enrolled before; ids are never reused", null, false, false);
  }
}
