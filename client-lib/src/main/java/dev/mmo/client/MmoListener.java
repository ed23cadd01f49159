package dev.mmo.client;

import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.WorldSnapshot;

/**
 * What a session reports. Every value handed over has passed its checks (docs/protocol.md 10.4);
 * nothing that failed a check is ever reported, only the disconnect it caused. Called one event at
 * a time, under the session's lock, on the thread that saw the event: the socket's receiving
 * thread, the timer thread (starvation) or the thread calling {@link Session#move} or {@link
 * Session#close}. An implementation must return quickly; it may call the session's methods.
 */
public interface MmoListener {

  /** A snapshot signed by the session key, for this session. */
  default void onSnapshot(Session session, WorldSnapshot snapshot) {}

  /** A new VS receipt for this session, forwarded or inside a snapshot; kept as evidence. */
  default void onReceipt(Session session, ProtectedReceipt receipt) {}

  /** A new ticket, the next link of the chain. */
  default void onTicket(Session session, PlayTicket ticket) {}

  /** A genuine Revoke for this session; {@link #onDisconnect} follows. */
  default void onRevoked(Session session, Revoke revoke) {}

  /** The session ended; the last event of a session. */
  default void onDisconnect(Session session, Disconnect disconnect) {}
}
