package dev.mmo.vs.revocation;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.audit.AuditLog;
import dev.mmo.vs.audit.RevocationRecord;
import dev.mmo.vs.session.LiveSessions;
import dev.mmo.vs.session.LiveSessions.RevokeOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Revokes sessions (docs/protocol.md section 9.4), in the order that makes a revocation bite first
 * and be recorded surely:
 *
 * <ol>
 *   <li>Redis: the session is marked revoked, so no replica issues another ticket or receipt for
 *       it. The first decision wins; a later one changes nothing and records nothing.
 *   <li>The replica holding the game server's connection pushes the signed Revoke: this one at once
 *       through a CDI event, every other one through the RabbitMQ fan-out.
 *   <li>The audit trail records the decision with its evidence, retried until it is durable.
 * </ol>
 */
@ApplicationScoped
public class RevocationService {
  private static final Logger LOG = Logger.getLogger(RevocationService.class);

  /** How long the Redis decision is retried while Redis is unreachable. */
  private static final Duration DECIDE_BUDGET = Duration.ofSeconds(30);

  /** How long recording a decision is retried before it is reported as unrecorded. */
  private static final Duration RECORD_BUDGET = Duration.ofMinutes(10);

  private final LiveSessions sessions;
  private final RevocationBroadcast broadcast;
  private final Event<SessionRevoked> local;
  private final AuditLog audit;
  private final Clock clock;
  private final MeterRegistry meters;
  private final Counter unrecorded;

  public RevocationService(
      LiveSessions sessions,
      RevocationBroadcast broadcast,
      Event<SessionRevoked> local,
      AuditLog audit,
      Clock clock,
      MeterRegistry meters) {
    this.sessions = sessions;
    this.broadcast = broadcast;
    this.local = local;
    this.audit = audit;
    this.clock = clock;
    this.meters = meters;
    this.unrecorded =
        Counter.builder("mmo.vs.revocations.unrecorded")
            .description("revocations the audit trail could not record within the retry budget")
            .register(meters);
  }

  /**
   * Revokes session {@code id} of game server {@code gsId} for {@code reason}. Completes once Redis
   * holds the decision and the audit record is durable; fails when Redis is unreachable (nothing
   * was decided) or the record could not be made durable (the decision stands and is retried in the
   * background).
   *
   * @return {@link RevokeOutcome#ALREADY} when an earlier decision stands: nothing is recorded
   *     again. {@link RevokeOutcome#MISSING} when Redis holds no live state: the decision is still
   *     recorded, so the audit trail ends the session.
   */
  public Uni<Decision> revoke(
      SessionId id, GsId gsId, Reason reason, Map<String, Object> evidence) {
    return decide(id, gsId, reason, evidence, true);
  }

  /**
   * As {@link #revoke}, but completes as soon as Redis holds the decision and the Revoke is on its
   * way; the record is made durable in the background (retried, counted when given up). For the
   * game-server connection, which has nothing to wait for once the session is over.
   */
  public Uni<Decision> decide(
      SessionId id, GsId gsId, Reason reason, Map<String, Object> evidence) {
    return decide(id, gsId, reason, evidence, false);
  }

  private Uni<Decision> decide(
      SessionId id, GsId gsId, Reason reason, Map<String, Object> evidence, boolean awaitRecord) {
    long decidedAtMs = clock.millis();
    return sessions
        .revoke(id, reason.code(), decidedAtMs)
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(50), Duration.ofSeconds(2))
        .expireIn(DECIDE_BUDGET.toMillis())
        .call(
            outcome -> {
              if (outcome == RevokeOutcome.ALREADY) {
                return Uni.createFrom().voidItem();
              }
              if (outcome == RevokeOutcome.REVOKED) {
                announce(id);
              }
              Uni<Void> record =
                  record(
                      new RevocationRecord(
                          UUID.randomUUID(),
                          id,
                          gsId,
                          reason.code(),
                          evidence,
                          Instant.ofEpochMilli(decidedAtMs)));
              if (awaitRecord) {
                return record;
              }
              record.subscribe().with(ok -> {}, f -> {});
              return Uni.createFrom().voidItem();
            })
        .map(outcome -> new Decision(outcome, Instant.ofEpochMilli(decidedAtMs)));
  }

  /** What a call to {@link #revoke} did, and when it decided. */
  public record Decision(RevokeOutcome outcome, Instant decidedAt) {}

  /**
   * Carries out a revocation that a Redis script already decided (the silence sweeper's): the
   * Revoke is pushed and the decision recorded.
   */
  public Uni<Void> revoked(
      SessionId id, GsId gsId, Reason reason, long decidedAtMs, Map<String, Object> evidence) {
    announce(id);
    return record(
        new RevocationRecord(
            UUID.randomUUID(),
            id,
            gsId,
            reason.code(),
            evidence,
            Instant.ofEpochMilli(decidedAtMs)));
  }

  private void announce(SessionId id) {
    local.fire(new SessionRevoked(id));
    broadcast
        .announce(id)
        .subscribe()
        .with(
            ok -> {},
            f ->
                LOG.warnf(
                    "revocation of %s not broadcast (replicas learn it at their next ticket round):"
                        + " %s",
                    id.hex(), f.toString()));
  }

  private Uni<Void> record(RevocationRecord record) {
    meters.counter("mmo.vs.revocations", "reason", Reason.nameOf(record.reasonCode())).increment();
    return audit
        .revocation(record)
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(10))
        .expireIn(RECORD_BUDGET.toMillis())
        .onFailure()
        .invoke(
            f -> {
              unrecorded.increment();
              LOG.errorf(
                  "revocation of session %s (reason %d, record %s, evidence %s) NOT recorded: %s",
                  record.sessionId() == null ? "-" : record.sessionId().hex(),
                  record.reasonCode(),
                  record.recordId(),
                  record.evidence(),
                  f.toString());
            });
  }
}
