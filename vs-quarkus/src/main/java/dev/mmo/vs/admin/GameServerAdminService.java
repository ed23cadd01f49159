package dev.mmo.vs.admin;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.vs.admin.problem.ProblemCode;
import dev.mmo.vs.enrollment.AllowedSoftwareEntity;
import dev.mmo.vs.enrollment.GameServerEntity;
import dev.mmo.vs.enrollment.GameServerRevoked;
import dev.mmo.vs.revocation.RevocationEntity;
import dev.mmo.vs.session.SessionEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** Enrollment, allow-lists and revocation of game servers, as operators drive them. */
@ApplicationScoped
public class GameServerAdminService {
  /**
   * The reason recorded for a revocation made through the API, on the game server's {@code
   * revocations} row, on its ended sessions and in {@link GameServerRevoked}: an operator decided
   * it. {@link Reason#ENROLLMENT_REVOKED} is what the revoked game server is told when it tries to
   * join again (docs/protocol.md section 8.1).
   */
  private static final Reason REVOCATION_REASON = Reason.OPERATOR_ACTION;

  private static final Logger LOG = Logger.getLogger(GameServerAdminService.class);

  private final Clock clock;
  private final AdminConfig config;
  private final Event<GameServerRevoked> revocations;

  public GameServerAdminService(
      Clock clock, AdminConfig config, Event<GameServerRevoked> revocations) {
    this.clock = clock;
    this.config = config;
    this.revocations = revocations;
  }

  /**
   * Enrolls {@code id} with its long-term key and allow-list.
   *
   * @throws InvalidRequestException at once: {@code BAD_KEY} when the key is not a valid full-order
   *     Ed25519 point, {@code TOO_MANY_SW_HASHES} when the list is too long
   */
  public Uni<GameServerView> enroll(GsId id, Ed25519PublicKey publicKey, Set<Hash> software) {
    requireUsable(publicKey);
    if (software.size() > config.maxSoftwarePerGameServer()) {
      throw new InvalidRequestException(
          ProblemCode.TOO_MANY_SW_HASHES,
          "a game server may have at most " + config.maxSoftwarePerGameServer() + " hashes");
    }
    Instant at = clock.instant();
    return Panache.withTransaction(
            () ->
                GameServerEntity.<GameServerEntity>findById(id.value())
                    .flatMap(
                        existing -> {
                          if (existing != null) {
                            throw new GameServerAlreadyEnrolledException(id);
                          }
                          return insert(id, publicKey, software, at);
                        }))
        // Two enrollments of one id racing: the loser's insert breaks the primary key.
        .onFailure(UniqueViolation::test)
        .transform(e -> new GameServerAlreadyEnrolledException(id))
        .invoke(view -> LOG.infof("game server %s enrolled", id));
  }

  private static Uni<GameServerView> insert(
      GsId id, Ed25519PublicKey publicKey, Set<Hash> software, Instant at) {
    GameServerEntity gs = GameServerEntity.enrolled(id, publicKey, at);
    List<AllowedSoftwareEntity> allowed =
        software.stream().map(hash -> AllowedSoftwareEntity.of(id, hash, at)).toList();
    // Panache refuses to persist an empty collection.
    Uni<Void> persistAllowed =
        allowed.isEmpty() ? Uni.createFrom().voidItem() : AllowedSoftwareEntity.persist(allowed);
    return gs.persist().chain(() -> persistAllowed).map(ignored -> GameServerView.of(gs, allowed));
  }

  public Uni<GameServerView> get(GsId id) {
    return Panache.withSession(
        () ->
            GameServerEntity.<GameServerEntity>findById(id.value())
                .onItem()
                .ifNull()
                .failWith(() -> new GameServerNotFoundException(id))
                .flatMap(GameServerAdminService::view));
  }

  /** Game servers by id. */
  public Uni<PageView<GameServerView>> list(PageRequest page) {
    return Panache.withSession(
        () ->
            GameServerEntity.count()
                .flatMap(
                    total ->
                        GameServerEntity.<GameServerEntity>findAll(Sort.by("id"))
                            .range(page.offset(), page.lastIndex())
                            .list()
                            .flatMap(GameServerAdminService::views)
                            .map(
                                items ->
                                    new PageView<>(items, page.offset(), page.limit(), total))));
  }

  /** Puts {@code swHash} on the allow-list of an active game server. */
  public Uni<GameServerView> allowSoftware(GsId id, Hash swHash) {
    return Panache.withTransaction(
            () ->
                lockActive(id)
                    .call(
                        gs ->
                            AllowedSoftwareEntity.findByKey(id, swHash)
                                .invoke(
                                    existing -> {
                                      if (existing != null) {
                                        throw new SoftwareAlreadyAllowedException(id, swHash);
                                      }
                                    }))
                    .call(
                        gs ->
                            AllowedSoftwareEntity.countFor(id)
                                .invoke(
                                    count -> {
                                      if (count >= config.maxSoftwarePerGameServer()) {
                                        throw new SoftwareLimitReachedException(
                                            id, config.maxSoftwarePerGameServer());
                                      }
                                    }))
                    .call(gs -> AllowedSoftwareEntity.of(id, swHash, clock.instant()).persist())
                    .flatMap(GameServerAdminService::view))
        .invoke(view -> LOG.infof("game server %s may now run %s", id, swHash));
  }

  /**
   * Takes {@code swHash} off the allow-list of an active game server. Sessions already pinned to it
   * go on: the allow-list is checked at join.
   */
  public Uni<Void> disallowSoftware(GsId id, Hash swHash) {
    return Panache.withTransaction(
            () ->
                lockActive(id)
                    .flatMap(
                        gs ->
                            AllowedSoftwareEntity.delete(
                                "gsId = ?1 and swHash = ?2", id.value(), swHash.toByteArray()))
                    .invoke(
                        deleted -> {
                          if (deleted == 0) {
                            throw new SoftwareNotAllowedException(id, swHash);
                          }
                        }))
        .invoke(() -> LOG.infof("game server %s may no longer run %s", id, swHash))
        .replaceWithVoid();
  }

  /**
   * Revokes {@code id} for good, in one transaction: the game server REVOKED, a {@code revocations}
   * row with the operator and their reason as evidence, and its ACTIVE sessions REVOKED. Once
   * committed, {@link GameServerRevoked} is fired so that live sessions stop at once.
   */
  public Uni<GameServerView> revoke(GsId id, String reason, String operator) {
    Instant at = clock.instant();
    return Panache.withTransaction(
            () ->
                lockActive(id)
                    .call(gs -> recordRevocation(gs, reason, operator, at))
                    .flatMap(GameServerAdminService::view))
        .invoke(
            view -> {
              LOG.infof("game server %s revoked by %s: %s", id, operator, reason);
              announce(new GameServerRevoked(id, REVOCATION_REASON));
            });
  }

  /** The revocation's writes, inside the caller's transaction. */
  private static Uni<RevocationEntity> recordRevocation(
      GameServerEntity gs, String reason, String operator, Instant at) {
    GsId id = gs.gsId();
    gs.revoke(at, reason);
    return SessionEntity.revokeActiveOf(id, REVOCATION_REASON, at)
        .flatMap(
            sessions ->
                RevocationEntity.ofGameServer(
                        id, REVOCATION_REASON, evidence(reason, operator, sessions), at)
                    .persist());
  }

  private static Map<String, Object> evidence(String reason, String operator, int sessionsRevoked) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("source", "admin-api");
    evidence.put("operator", operator);
    evidence.put("reason", reason);
    evidence.put("sessionsRevoked", sessionsRevoked);
    return evidence;
  }

  /**
   * Tells the live-session code, after the commit. Its failure is logged, not returned: the
   * revocation itself is durable, and a retry would only meet GAME_SERVER_REVOKED.
   */
  private void announce(GameServerRevoked event) {
    try {
      revocations.fire(event);
    } catch (RuntimeException e) {
      LOG.errorf(e, "a synchronous observer of %s failed", event);
    }
    revocations
        .fireAsync(event)
        .exceptionally(
            e -> {
              LOG.errorf(e, "an asynchronous observer of %s failed", event);
              return event;
            });
  }

  /** The game server, locked against concurrent changes until the transaction ends. */
  private static Uni<GameServerEntity> lockActive(GsId id) {
    return GameServerEntity.<GameServerEntity>findById(id.value(), LockModeType.PESSIMISTIC_WRITE)
        .onItem()
        .ifNull()
        .failWith(() -> new GameServerNotFoundException(id))
        .invoke(
            gs -> {
              if (gs.isRevoked()) {
                throw new GameServerRevokedException(id);
              }
            });
  }

  private static void requireUsable(Ed25519PublicKey publicKey) {
    try {
      Ed25519Verifier.of(publicKey);
    } catch (Rejection e) {
      throw new InvalidRequestException(
          ProblemCode.BAD_KEY, "publicKey is not a valid Ed25519 point of full order");
    }
  }

  private static Uni<GameServerView> view(GameServerEntity gs) {
    return AllowedSoftwareEntity.listFor(gs.gsId())
        .map(software -> GameServerView.of(gs, software));
  }

  private static Uni<List<GameServerView>> views(List<GameServerEntity> servers) {
    List<String> ids = servers.stream().map(gs -> gs.id).toList();
    return AllowedSoftwareEntity.listFor(ids)
        .map(
            software -> {
              Map<String, List<AllowedSoftwareEntity>> byServer =
                  software.stream().collect(Collectors.groupingBy(sw -> sw.gsId));
              return servers.stream()
                  .map(gs -> GameServerView.of(gs, byServer.getOrDefault(gs.id, List.of())))
                  .toList();
            });
  }
}
