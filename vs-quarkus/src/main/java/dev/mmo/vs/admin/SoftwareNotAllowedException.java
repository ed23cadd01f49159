package dev.mmo.vs.admin;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;

/** The software hash is not on the game server's allow-list. */
public final class SoftwareNotAllowedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SoftwareNotAllowedException(GsId gsId, Hash swHash) {
    // No stack trace: an expected outcome of a request, not a bug.
    super("software " + swHash.hex() + " is not allowed for '" + gsId + "'", null, false, false);
  }
}
