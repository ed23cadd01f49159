package dev.mmo.vs.admin;

import dev.mmo.protocol.wire.GsId;

/** The game server's allow-list is full ({@code mmo.admin.max-software-per-game-server}). */
public final class SoftwareLimitReachedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SoftwareLimitReachedException(GsId gsId, int limit) {
    // No stack trace: an expected outcome of a request, not a bug.
    super(
        "the allow-list of '" + gsId + "' holds " + limit + " hashes, the most it may",
        null,
        false,
        false);
  }
}
