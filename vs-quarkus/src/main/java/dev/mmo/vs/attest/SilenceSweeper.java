package dev.mmo.vs.attest;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.config.VsConfig;
import dev.mmo.vs.revocation.RevocationService;
import dev.mmo.vs.session.LiveSessions;
import dev.mmo.vs.session.LiveSessions.RevokeOutcome;
import dev.mmo.vs.session.LiveSessions.SilenceOutcome;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Revokes sessions whose game server went silent: no heartbeat or digest for longer than {@code
 * mmo.vs.attest.max-silence}, connected or not. Every replica sweeps; the Redis script makes
 * exactly one of them revoke each session.
 *
 * <p>After Redis was unreachable, nobody could record a heartbeat: every session would look silent.
 * So the sweeper revokes only once it has reached Redis without a failure for a whole silence
 * allowance, time in which every live game server has been heard again.
 */
@ApplicationScoped
public class SilenceSweeper {
  private static final Logger LOG = Logger.getLogger(SilenceSweeper.class);

  /** Sessions checked per sweep and replica. */
  static final int BATCH = 500;

  private final LiveSessions sessions;
  private final RevocationService revocations;
  private final Vertx vertx;
  private final Clock clock;
  private final long intervalMs;
  private final long maxSilenceMs;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private volatile long reachableSinceMs;
  private volatile long timer = -1;

  public SilenceSweeper(
      LiveSessions sessions,
      RevocationService revocations,
      Vertx vertx,
      Clock clock,
      VsConfig config) {
    this.sessions = sessions;
    this.revocations = revocations;
    this.vertx = vertx;
    this.clock = clock;
    this.intervalMs = config.attest().silenceSweepInterval().toMillis();
    this.maxSilenceMs = config.attest().maxSilence().toMillis();
    this.reachableSinceMs = clock.millis();
  }

  void start(@Observes StartupEvent event) {
    timer = vertx.setPeriodic(intervalMs, id -> sweep().subscribe().with(n -> {}, f -> {}));
  }

  @PreDestroy
  void stop() {
    vertx.cancelTimer(timer);
  }

  /** One sweep; returns how many sessions it revoked. Never runs twice at once. */
  Uni<Integer> sweep() {
    if (!sweeping.compareAndSet(false, true)) {
      return Uni.createFrom().item(0);
    }
    return sessions
        .dueForSilenceCheck(BATCH)
        .chain(this::checkAll)
        .onFailure()
        .invoke(
            f -> {
              reachableSinceMs = Long.MAX_VALUE;
              LOG.debugf("silence sweep failed: %s", f.toString());
            })
        .onTermination()
        .invoke(() -> sweeping.set(false));
  }

  private Uni<Integer> checkAll(List<SessionId> due) {
    long now = clock.millis();
    if (reachableSinceMs == Long.MAX_VALUE) {
      reachableSinceMs = now;
    }
    if (due.isEmpty() || now - reachableSinceMs < maxSilenceMs) {
      return Uni.createFrom().item(0);
    }
    return Multi.createFrom()
        .iterable(due)
        .onItem()
        .transformToUniAndConcatenate(this::check)
        .collect()
        .asList()
        .map(revoked -> (int) revoked.stream().filter(Boolean::booleanValue).count());
  }

  private Uni<Boolean> check(SessionId id) {
    return sessions
        .checkSilence(id)
        .chain(
            outcome -> {
              if (outcome instanceof SilenceOutcome.Ended ended
                  && ended.outcome() == RevokeOutcome.REVOKED) {
                return announce(id).replaceWith(true);
              }
              return Uni.createFrom().item(false);
            });
  }

  /** Pushes and records a revocation the silence script decided. */
  private Uni<Void> announce(SessionId id) {
    return sessions
        .load(id)
        .chain(
            found -> {
              if (found.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              Map<String, Object> evidence = new LinkedHashMap<>();
              evidence.put("last_heard_ms", found.get().lastHeartbeatMs());
              evidence.put("revoked_at_ms", found.get().revokedAtMs());
              evidence.put("max_silence_ms", maxSilenceMs);
              LOG.infof(
                  "session %s revoked: %s (silent since %d)",
                  id.hex(), Reason.MISSED_HEARTBEATS, found.get().lastHeartbeatMs());
              revocations
                  .revoked(
                      id,
                      found.get().gsId(),
                      Reason.MISSED_HEARTBEATS,
                      found.get().revokedAtMs(),
                      evidence)
                  .subscribe()
                  .with(ok -> {}, f -> {});
              return Uni.createFrom().voidItem();
            });
  }
}
