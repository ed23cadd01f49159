package dev.mmo.vs.gs;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.config.VsConfig;
import dev.mmo.vs.db.SafeContext;
import dev.mmo.vs.enrollment.GameServerEntity;
import dev.mmo.vs.enrollment.GameServerRevoked;
import dev.mmo.vs.enrollment.GameServerStatus;
import dev.mmo.vs.revocation.RevocationBroadcast;
import dev.mmo.vs.revocation.RevocationEntity;
import dev.mmo.vs.session.LiveSessions;
import dev.mmo.vs.session.RevokedGameServers;
import dev.mmo.vs.session.RevokedGameServers.Marker;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Carries game-server revocations, which PostgreSQL records, into Redis, where every ticket round
 * and resume of every replica looks: the game server's revocation marker ({@link
 * RevokedGameServers}) is the authority; revoking its indexed sessions and pushing their Revokes
 * (here, and through the fan-out on the replica that holds each connection) only makes it take
 * effect at once.
 *
 * <p>Two ways in, so that no failure leaves a revoked game server's sessions blessed: the {@link
 * GameServerRevoked} event after a revocation commits (the marker first, retried with backoff), and
 * a periodic sync that pushes every REVOKED game server of PostgreSQL into Redis (repairing a crash
 * between commit and event, a Redis write that failed, or a Redis that lost its data).
 */
@ApplicationScoped
public class GameServerRevocations {
  private static final Logger LOG = Logger.getLogger(GameServerRevocations.class);

  /** How long the event's observer keeps trying before it leaves the marker to the sync. */
  private static final Duration OBSERVER_BUDGET = Duration.ofSeconds(30);

  private final RevokedGameServers markers;
  private final LiveSessions sessions;
  private final GsLinks links;
  private final GameServerEndpoint endpoint;
  private final RevocationBroadcast broadcast;
  private final Vertx vertx;
  private final Clock clock;
  private final Duration syncInterval;
  private final AtomicBoolean syncing = new AtomicBoolean();
  private volatile long syncTimer = -1;

  public GameServerRevocations(
      RevokedGameServers markers,
      LiveSessions sessions,
      GsLinks links,
      GameServerEndpoint endpoint,
      RevocationBroadcast broadcast,
      Vertx vertx,
      Clock clock,
      VsConfig config) {
    this.markers = markers;
    this.sessions = sessions;
    this.links = links;
    this.endpoint = endpoint;
    this.broadcast = broadcast;
    this.vertx = vertx;
    this.clock = clock;
    this.syncInterval = config.gs().revocationSyncInterval();
  }

  void start(@Observes StartupEvent event) {
    syncTimer =
        vertx.setPeriodic(
            1,
            Math.max(1, syncInterval.toMillis()),
            id -> sync().subscribe().with(n -> {}, f -> {}));
  }

  @PreDestroy
  void stop() {
    vertx.cancelTimer(syncTimer);
  }

  /** Runs on a worker thread, after the revocation committed. */
  void onRevoked(@ObservesAsync GameServerRevoked event) {
    Marker marker = new Marker(event.reason().code(), clock.millis());
    markers
        .mark(event.gsId(), marker)
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5))
        .expireIn(OBSERVER_BUDGET.toMillis())
        .chain(set -> markers.find(event.gsId()))
        .chain(stored -> endSessions(event.gsId(), stored.orElse(marker)))
        .onFailure()
        .invoke(
            f ->
                LOG.warnf(
                    "game server %s revoked, but Redis not told yet (the sync retries): %s",
                    event.gsId(), f.toString()))
        .onFailure()
        .recoverWithNull()
        .await()
        .atMost(OBSERVER_BUDGET.plusSeconds(10));
  }

  /**
   * Pushes every REVOKED game server of PostgreSQL into Redis; returns how many markers were
   * missing. Never runs twice at once.
   */
  Uni<Integer> sync() {
    if (!syncing.compareAndSet(false, true)) {
      return Uni.createFrom().item(0);
    }
    return SafeContext.run(vertx, () -> Panache.withSession(GameServerRevocations::revokedInDb))
        .onItem()
        .transformToMulti(revoked -> Multi.createFrom().iterable(revoked.entrySet()))
        .onItem()
        .transformToUniAndConcatenate(
            entry ->
                markers
                    .mark(entry.getKey(), entry.getValue())
                    .call(
                        set ->
                            set
                                ? endSessions(entry.getKey(), entry.getValue())
                                : Uni.createFrom().voidItem()))
        .collect()
        .asList()
        .map(set -> (int) set.stream().filter(Boolean::booleanValue).count())
        .invoke(
            n -> {
              if (n > 0) {
                LOG.warnf("revocation sync: %d revoked game servers were missing in Redis", n);
              }
            })
        .onFailure()
        .invoke(f -> LOG.warnf("revocation sync failed (retried in %s): %s", syncInterval, f))
        .onTermination()
        .invoke(() -> syncing.set(false));
  }

  /** Every revoked game server with the marker its sessions get: the recorded decision. */
  private static Uni<Map<GsId, Marker>> revokedInDb() {
    return GameServerEntity.<GameServerEntity>list("status", GameServerStatus.REVOKED)
        .chain(
            servers -> {
              List<String> ids = servers.stream().map(gs -> gs.id).toList();
              Uni<List<RevocationEntity>> decisions =
                  ids.isEmpty()
                      ? Uni.createFrom().item(List.of())
                      : RevocationEntity.<RevocationEntity>list(
                          "gsId in ?1 and sessionId is null order by decidedAt", ids);
              return decisions.map(
                  rows -> {
                    Map<String, Integer> codes = new HashMap<>();
                    for (RevocationEntity row : rows) {
                      codes.putIfAbsent(row.gsId, row.reasonCode);
                    }
                    Map<GsId, Marker> revoked = new HashMap<>();
                    for (GameServerEntity gs : servers) {
                      revoked.put(
                          gs.gsId(),
                          new Marker(
                              codes.getOrDefault(gs.id, Reason.ENROLLMENT_REVOKED.code()),
                              gs.revokedAt.toEpochMilli()));
                    }
                    return revoked;
                  });
            });
  }

  /** Revokes the sessions the index lists and ends the connections this replica holds for them. */
  private Uni<Void> endSessions(GsId gs, Marker marker) {
    return sessions
        .sessionsOf(gs)
        .onItem()
        .transformToMulti(ids -> Multi.createFrom().iterable(ids))
        .onItem()
        .transformToUniAndConcatenate(id -> end(id, marker))
        .collect()
        .asList()
        .replaceWithVoid();
  }

  /**
   * Revokes one session and pushes the Revoke at once: here, and through the fan-out on the replica
   * holding its connection. A lost broadcast costs at most one ticket interval there.
   */
  private Uni<Void> end(SessionId id, Marker marker) {
    return sessions
        .revoke(id, marker.reasonCode(), marker.decidedAtMs())
        .invoke(revokedNow -> links.boundTo(id).ifPresent(endpoint::roundNow))
        .call(
            outcome ->
                outcome == LiveSessions.RevokeOutcome.REVOKED
                    ? broadcast
                        .announce(id)
                        .onFailure()
                        .invoke(
                            f ->
                                LOG.debugf(
                                    "revocation of %s not broadcast (%s); replicas learn it at"
                                        + " their next ticket round",
                                    id, f.toString()))
                        .onFailure()
                        .recoverWithNull()
                    : Uni.createFrom().voidItem())
        .replaceWithVoid();
  }
}
