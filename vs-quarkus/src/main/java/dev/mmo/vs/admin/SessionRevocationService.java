package dev.mmo.vs.admin;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.db.SafeContext;
import dev.mmo.vs.revocation.RevocationService;
import dev.mmo.vs.session.LiveSessions.RevokeOutcome;
import dev.mmo.vs.session.SessionEntity;
import dev.mmo.vs.session.SessionStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Operator revocations of single sessions. The audit trail says whether the session exists and is
 * still active; the revocation itself goes through {@link RevocationService}, like every other.
 */
@ApplicationScoped
public class SessionRevocationService {
  private final RevocationService revocations;
  private final Vertx vertx;

  public SessionRevocationService(RevocationService revocations, Vertx vertx) {
    this.revocations = revocations;
    this.vertx = vertx;
  }

  /** Revokes session {@code id} for {@code operator}, who gave {@code reason}. */
  public Uni<SessionView> revoke(SessionId id, String reason, String operator) {
    return find(id)
        .chain(
            session -> {
              if (session.status != SessionStatus.ACTIVE) {
                throw new SessionNotActiveException(id);
              }
              Map<String, Object> evidence = new LinkedHashMap<>();
              evidence.put("operator", operator);
              evidence.put("reason", reason);
              return revocations
                  .revoke(id, new GsId(session.gsId), Reason.OPERATOR_ACTION, evidence)
                  .onFailure()
                  .transform(
                      f -> new ServiceUnavailableException("the revocation could not be made", f));
            })
        .chain(
            decision -> {
              if (decision.outcome() == RevokeOutcome.ALREADY) {
                throw new SessionNotActiveException(id);
              }
              // The audit trail may write the row a moment later: answer with the decision. The
              // decision completes on whichever thread confirmed its audit record, where Panache
              // has no session of its own.
              return SafeContext.run(vertx, () -> find(id))
                  .map(
                      session -> {
                        if (session.status == SessionStatus.ACTIVE) {
                          session.status = SessionStatus.REVOKED;
                          session.endedAt = decision.decidedAt();
                          session.endReason = Reason.OPERATOR_ACTION.code();
                        }
                        return SessionView.of(session);
                      });
            });
  }

  private static Uni<SessionEntity> find(SessionId id) {
    return Panache.withSession(
        () ->
            SessionEntity.findBySessionId(id)
                .onItem()
                .ifNull()
                .failWith(() -> new SessionNotFoundException(id)));
  }
}
