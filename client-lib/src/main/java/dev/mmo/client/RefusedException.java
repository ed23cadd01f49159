package dev.mmo.client;

import static java.util.Objects.requireNonNull;

/** A connection attempt that did not end in a verified session, with the reason. */
public final class RefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Disconnect disconnect;

  public RefusedException(Disconnect disconnect) {
    super(requireNonNull(disconnect, "disconnect").toString(), null, false, false);
    this.disconnect = disconnect;
  }

  public Disconnect disconnect() {
    return disconnect;
  }
}
