package dev.mmo.vs.revocation;

import dev.mmo.protocol.wire.SessionId;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The RabbitMQ fan-out of session revocations (exchange {@code mmo.revocations}): every VS replica
 * binds a queue of its own, so a revocation decided on one replica reaches the game-server
 * connection whichever replica holds it.
 *
 * <p>The broadcast only makes a revocation take effect at once. Redis holds the decision, and every
 * replica's ticket round reads it before it issues anything: a lost broadcast delays the Revoke by
 * at most one ticket interval, it never lets a revoked session go on.
 */
@ApplicationScoped
public class RevocationBroadcast {
  private static final Logger LOG = Logger.getLogger(RevocationBroadcast.class);

  private final MutinyEmitter<String> out;
  private final Event<SessionRevoked> local;

  public RevocationBroadcast(
      @Channel("revocations-out") MutinyEmitter<String> out, Event<SessionRevoked> local) {
    this.out = out;
    this.local = local;
  }

  /** Tells every replica, this one included, that {@code id} is revoked. */
  public Uni<Void> announce(SessionId id) {
    return out.send(id.hex());
  }

  @Incoming("revocations-in")
  void received(String sessionHex) {
    SessionId id;
    try {
      id = SessionId.fromHex(sessionHex);
    } catch (IllegalArgumentException e) {
      LOG.warnf("revocation broadcast: not a session id: %.80s", sessionHex);
      return;
    }
    local.fire(new SessionRevoked(id));
  }
}
