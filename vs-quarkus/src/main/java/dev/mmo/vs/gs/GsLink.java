package dev.mmo.vs.gs;

import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.vs.attest.BoundSession;
import dev.mmo.vs.attest.KeptSession;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * One game server's connection to this VS replica and the session it is bound to.
 *
 * <p>Thread confinement: the endpoint's callbacks ({@code @OnOpen}, messages, {@code @OnClose}) are
 * non-blocking, so they run on the connection's event loop, and so do its timers and every
 * continuation of a join, resume or ticket round (they come back through {@link #executor()}). Only
 * that thread writes these fields, so there is no locking. The readers from elsewhere are {@link
 * GsLinks#boundTo}, on a revocation, and {@link GsLinks#boundNewestFirst}, when the replica sheds;
 * they only read {@link #session} and {@link #boundAtMs} (volatile) to find links and then hop onto
 * their context.
 */
final class GsLink {
  enum State {
    /** Connected; the only frames accepted are a JoinRequest or a ResumeRequest. */
    OPEN,
    /** A join or resume is being checked: any frame meanwhile is refused. */
    BINDING,
    /** Bound to {@link #session}: tickets flow. */
    BOUND,
    CLOSING
  }

  final WebSocketConnection connection;
  final Context context;

  /** Who holds the session in Redis: this replica and this connection. */
  final String owner;

  /** The source the connection came from (an IPv4 address or an IPv6 /64), for limits and logs. */
  final String source;

  final MessageRate rate;

  State state = State.OPEN;
  volatile SessionId session;

  /** When the connection was bound to its session (VS clock, ms); 0 until it is. */
  volatile long boundAtMs;

  /** The highest ticket counter sent on this connection; 0 when none was. */
  long delivered;

  /** When the game server last sent anything, a pong included (VS clock, ms). */
  long lastHeardMs;

  /** The session's pins, once bound. */
  BoundSession bound;

  /** What this connection keeps of its session between frames (notarized state, silence watch). */
  final KeptSession kept = new KeptSession();

  /** The highest gs_counter this connection had accepted (the resume's, or 0 after a join). */
  long lastGsCounter;

  /** Heartbeats and digests waiting for their checks, oldest first; checked one at a time. */
  final ArrayDeque<Pending> attestQueue = new ArrayDeque<>();

  boolean attesting;

  /** A heartbeat or digest as it arrived. */
  record Pending(Signed<?> frame, byte[] bytes, long receivedAtMs) {}

  long ticketTimer = -1;
  long bindTimer = -1;
  boolean roundInFlight;

  /** A revocation asked for a round while one was in flight: run another right after it. */
  boolean roundAgain;

  GsLink(
      WebSocketConnection connection,
      Context context,
      String owner,
      String source,
      MessageRate rate,
      long nowMs) {
    this.connection = connection;
    this.context = context;
    this.owner = owner;
    this.source = source;
    this.rate = rate;
    this.lastHeardMs = nowMs;
  }

  /** Runs callbacks on this connection's context, where its fields may be touched. */
  Executor executor() {
    return command -> context.runOnContext(v -> command.run());
  }
}
