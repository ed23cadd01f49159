package dev.mmo.transport;

import dev.mmo.protocol.Reason;
import java.net.SocketAddress;

/** What a server learns from its guards, for its metrics and logs. Called on the event loop. */
public interface GuardListener {
  /** The guard closed a WebSocket connection with {@code 4000 + reason}. */
  void refused(Reason reason, String detail, SocketAddress peer);

  /** A connection sent no complete request head within the upgrade timeout and was closed. */
  void upgradeTimedOut(SocketAddress peer);

  /** A connection from {@code source} was closed at the accept: the source is over a limit. */
  void overSourceLimit(SourceLimits.Verdict verdict, String source);

  /** A plain HTTP request was not answered within the request timeout; the connection closed. */
  default void requestTimedOut(SocketAddress peer) {}

  /**
   * A connection from {@code source} was closed at the accept: the listener already holds its most
   * connections open.
   */
  default void listenerFull(String source) {}
}
