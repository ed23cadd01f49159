package dev.mmo.vs.enrollment;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.wire.GsId;

/**
 * CDI event: a game server's enrollment was revoked and the revocation is committed to PostgreSQL
 * (status REVOKED, a {@code revocations} row, its ACTIVE sessions set REVOKED with {@code reason}).
 * Its live sessions must stop getting tickets at once.
 *
 * <p>Fired once with {@code Event.fire} and once with {@code Event.fireAsync}, after the commit, so
 * every observer sees it exactly once whichever way it observes: an {@code @Observes} method runs
 * on the Vert.x event loop that completed the commit and must not block; an {@code @ObservesAsync}
 * method runs on a worker thread. The event is local to this VS replica.
 */
public record GameServerRevoked(GsId gsId, Reason reason) {
  public GameServerRevoked {
    requireNonNull(gsId, "gsId");
    requireNonNull(reason, "reason");
  }
}
