package dev.mmo.vs.admin;

import dev.mmo.protocol.wire.GsId;

/** No game server was ever enrolled under this id. */
public final class GameServerNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GameServerNotFoundException(GsId gsId) {
    // No stack trace: an expected outcome of a request, not a bug.
    super("no game server '" + gsId + "'", null, false, false);
  }
}
