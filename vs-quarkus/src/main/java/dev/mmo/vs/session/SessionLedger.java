package dev.mmo.vs.session;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.vs.db.SafeContext;
import dev.mmo.vs.enrollment.GameServerEntity;
import dev.mmo.vs.join.JoinRejectionEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;

/**
 * The durable side of admission in PostgreSQL: every admitted session with the JoinAccept that
 * pinned it, and the refused joins of game servers whose signature verified. Callable from any
 * thread (the batch signer completes on its own threads).
 */
@ApplicationScoped
public class SessionLedger {
  private final Vertx vertx;
  private final Clock clock;

  public SessionLedger(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /**
   * Records an admitted session, unless its game server was revoked meanwhile: false then, and
   * nothing is recorded. The game server's row is read {@code FOR SHARE} in the same transaction,
   * so a revocation (which locks it {@code FOR UPDATE} and then ends the game server's ACTIVE
   * sessions) either commits before this check and is seen, or waits for this transaction and ends
   * the session recorded here. The join is refused if this fails.
   */
  public Uni<Boolean> recordAdmission(Attested<JoinAccept> attested) {
    JoinAccept accept = attested.statement();
    SessionEntity session =
        SessionEntity.active(
            accept.sessionId(),
            accept.gsId(),
            accept.sessionKey(),
            accept.swHash(),
            Codec.encode(attested),
            clock.instant());
    return SafeContext.run(
        vertx,
        () ->
            Panache.withTransaction(
                () ->
                    GameServerEntity.<GameServerEntity>findById(
                            accept.gsId().value(), LockModeType.PESSIMISTIC_READ)
                        .chain(
                            gs ->
                                gs == null || gs.isRevoked()
                                    ? Uni.createFrom().item(false)
                                    : session.persist().replaceWith(true))));
  }

  /** Records a refused join of {@code gsId}, whose signature verified. */
  public Uni<Void> recordJoinRejection(String gsId, Reason reason, String remoteAddress) {
    JoinRejectionEntity rejection =
        JoinRejectionEntity.of(gsId, reason.code(), remoteAddress, clock.instant());
    return SafeContext.run(vertx, () -> Panache.withTransaction(rejection::persist))
        .replaceWithVoid();
  }

  /**
   * Deletes up to {@code limit} refused joins recorded before {@code cutoff}, oldest first; returns
   * how many it deleted.
   */
  public Uni<Integer> purgeJoinRejections(Instant cutoff, int limit) {
    return SafeContext.run(
        vertx,
        () ->
            Panache.withTransaction(
                () ->
                    Panache.getSession()
                        .chain(
                            session ->
                                session
                                    .createNativeQuery(
                                        "DELETE FROM join_rejections WHERE id IN (SELECT id FROM"
                                            + " join_rejections WHERE rejected_at < ?1 ORDER BY"
                                            + " rejected_at LIMIT ?2)")
                                    .setParameter(1, cutoff)
                                    .setParameter(2, limit)
                                    .executeUpdate())));
  }
}
