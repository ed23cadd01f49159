package dev.mmo.vs.join;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.wire.ResumeRequest;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.vs.gs.RejectedException;
import dev.mmo.vs.session.LiveSession;
import dev.mmo.vs.session.LiveSessions;
import dev.mmo.vs.session.RevokedGameServers;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Takes a session over on a new connection, on any replica, after the checks of docs/protocol.md
 * section 8.3 in that order. A session whose game server is revoked is revoked here if no round did
 * it yet.
 */
@ApplicationScoped
public class ResumeService {
  private final LiveSessions sessions;
  private final RevokedGameServers revokedGameServers;
  private final ClockSkewCheck clockSkew;

  public ResumeService(
      LiveSessions sessions, RevokedGameServers revokedGameServers, ClockSkewCheck clockSkew) {
    this.sessions = sessions;
    this.revokedGameServers = revokedGameServers;
    this.clockSkew = clockSkew;
  }

  /** Verifies {@code request} and binds its session to {@code owner}. */
  public Uni<LiveSession> resume(Signed<ResumeRequest> request, String owner) {
    ResumeRequest body = request.body();
    return sessions
        .load(body.sessionId())
        .plug(RejectedException.whenDown("Redis"))
        .map(
            found -> {
              LiveSession session =
                  found.orElseThrow(
                      () -> RejectedException.of(Reason.SESSION_UNKNOWN, "no such session"));
              if (!session.active()) {
                throw RejectedException.of(Reason.SESSION_REVOKED, "session revoked");
              }
              return session;
            })
        .call(this::gameServerNotRevoked)
        .invoke(
            session -> {
              try {
                request.verify(Ed25519Verifier.of(session.sessionKey()));
              } catch (Rejection e) {
                throw new RejectedException(e);
              }
              clockSkew.check(body.gsTimeMs());
            })
        .call(
            session ->
                sessions
                    .bind(session, body.gsCounter(), owner)
                    .plug(RejectedException.whenDown("Redis"))
                    .invoke(
                        outcome -> {
                          switch (outcome) {
                            case OK -> {}
                            case NOT_INCREASING ->
                                throw RejectedException.of(
                                    Reason.COUNTER_NOT_INCREASING, "gs_counter not above the last");
                            case REVOKED ->
                                throw RejectedException.of(
                                    Reason.SESSION_REVOKED, "session revoked");
                            case MISSING ->
                                throw RejectedException.of(
                                    Reason.SESSION_UNKNOWN, "session expired");
                          }
                        }));
  }

  /**
   * Step 2 also for a session of a revoked game server: revoked now, with the marker's decision.
   */
  private Uni<Void> gameServerNotRevoked(LiveSession session) {
    return revokedGameServers
        .find(session.gsId())
        .chain(
            marker -> {
              if (marker.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              return sessions
                  .revoke(
                      session.sessionId(), marker.get().reasonCode(), marker.get().decidedAtMs())
                  .invoke(
                      revoked -> {
                        throw RejectedException.of(
                            Reason.SESSION_REVOKED, "game server " + session.gsId() + " revoked");
                      })
                  .replaceWithVoid();
            })
        .plug(RejectedException.whenDown("Redis"));
  }
}
