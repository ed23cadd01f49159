package dev.mmo.vs.session;

import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.config.VsConfig;
import dev.mmo.vs.config.VsConfigCheck;
import dev.mmo.vs.redis.LuaScript;
import dev.mmo.vs.redis.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions' live state in Redis: one hash per session, changed only through the Lua scripts under
 * {@code lua/} so that every check-and-set is atomic and any VS replica can continue any session.
 * Every key lives at most {@code mmo.vs.session.state-ttl} past its last change (the session index
 * a little longer, see {@link RedisKeys#sessionIndex}).
 */
@ApplicationScoped
public class LiveSessions {
  private static final LuaScript CREATE = LuaScript.load("session_create");
  private static final LuaScript INDEX = LuaScript.load("session_index");
  private static final LuaScript BIND = LuaScript.load("session_bind");
  private static final LuaScript ADVANCE_TICKET = LuaScript.load("ticket_advance");
  private static final LuaScript REVOKE = LuaScript.load("session_revoke");

  /** Outcome of a bind after a verified ResumeRequest. */
  public enum BindOutcome {
    OK,
    MISSING,
    REVOKED,
    NOT_INCREASING
  }

  /** Outcome of a ticket advance. */
  public enum AdvanceOutcome {
    OK,
    MISSING,
    REVOKED,
    NOT_OWNER,
    CONFLICT
  }

  private final ReactiveRedisDataSource redis;
  private final Clock clock;
  private final long ttlMs;
  private final long indexSpanMs;
  private final int keptTickets;

  public LiveSessions(ReactiveRedisDataSource redis, Clock clock, VsConfig config) {
    this.redis = redis;
    this.clock = clock;
    this.ttlMs = config.session().stateTtl().toMillis();
    // Ticket rounds refresh an index entry only now and then: it must outlive the session's state
    // (refreshed by every ticket) by that refresh period.
    this.indexSpanMs =
        ttlMs
            + (long) VsConfigCheck.INDEX_REFRESH_TICKETS
                * config.session().ticketInterval().toMillis();
    this.keptTickets = keptTickets(config.session());
  }

  /**
   * How many of the newest tickets a session keeps, to send them again after a resume: every ticket
   * still valid when the game server may have lost its connection, plus the one in flight (docs/
   * protocol.md section 8.3).
   */
  public static int keptTickets(VsConfig.Session cadence) {
    long lifetime = cadence.ticketLifetime().toMillis();
    long interval = cadence.ticketInterval().toMillis();
    return Math.toIntExact((lifetime + interval - 1) / interval + 1);
  }

  /** Creates the state of a session just admitted; false when the id is already taken. */
  public Uni<Boolean> create(
      SessionId id,
      GsId gs,
      Ed25519PublicKey sessionKey,
      Hash swHash,
      Hash joinAcceptHash,
      String owner) {
    return CREATE
        .run(
            redis,
            List.of(RedisKeys.session(id)),
            List.of(
                gs.value(),
                sessionKey.hex(),
                swHash.hex(),
                joinAcceptHash.hex(),
                owner,
                Long.toString(clock.millis()),
                Long.toString(ttlMs)))
        .map(created -> created.toInteger() == 1)
        .call(created -> created ? touchIndex(gs, id) : Uni.createFrom().voidItem());
  }

  /**
   * Binds {@code session} to {@code owner} after a verified ResumeRequest with {@code gsCounter},
   * and lists it in its game server's index again.
   */
  public Uni<BindOutcome> bind(LiveSession session, long gsCounter, String owner) {
    return BIND.run(
            redis,
            List.of(RedisKeys.session(session.sessionId())),
            List.of(Long.toString(gsCounter), owner, Long.toString(ttlMs)))
        .map(r -> BindOutcome.valueOf(r.toString()))
        .call(
            outcome ->
                outcome == BindOutcome.OK
                    ? touchIndex(session.gsId(), session.sessionId())
                    : Uni.createFrom().voidItem());
  }

  /**
   * Makes {@code next} the tip, if {@code current} is still the tip of the session and {@code
   * owner} still holds it.
   */
  public Uni<AdvanceOutcome> advanceTicket(LiveSession current, PlayTicket next, String owner) {
    List<KeptTicket> kept = new ArrayList<>(current.kept());
    kept.add(KeptTicket.of(next));
    List<KeptTicket> newest = kept.subList(Math.max(0, kept.size() - keptTickets), kept.size());
    return ADVANCE_TICKET
        .run(
            redis,
            List.of(RedisKeys.session(current.sessionId())),
            List.of(
                owner,
                Long.toString(current.tipCounter()),
                current.tipHash().hex(),
                Long.toString(next.counter()),
                Hashes.statementHash(next).hex(),
                KeptTicket.encode(newest),
                Long.toString(ttlMs)))
        .map(r -> AdvanceOutcome.valueOf(r.toString()));
  }

  /**
   * Marks the session revoked for {@code reasonCode}, decided at {@code decidedAtMs}; true when
   * this call did it (a session revoked before keeps its first reason and time).
   */
  public Uni<Boolean> revoke(SessionId id, int reasonCode, long decidedAtMs) {
    return REVOKE
        .run(
            redis,
            List.of(RedisKeys.session(id)),
            List.of(Integer.toString(reasonCode), Long.toString(decidedAtMs)))
        .map(r -> r.toString().equals("REVOKED"));
  }

  /** The session's state, if Redis still holds it. */
  public Uni<Optional<LiveSession>> load(SessionId id) {
    return redis.hash(String.class).hgetall(RedisKeys.session(id)).map(fields -> parse(id, fields));
  }

  /**
   * The sessions of a game server whose state may still live. A fast path only, never trusted for
   * completeness: a revocation is enforced by the game server's revocation marker.
   */
  public Uni<List<SessionId>> sessionsOf(GsId gs) {
    return redis
        .sortedSet(String.class)
        .zrangebyscore(
            RedisKeys.sessionIndex(gs),
            new ScoreRange<>((double) clock.millis(), Double.POSITIVE_INFINITY))
        .map(members -> members.stream().map(SessionId::fromHex).toList());
  }

  /**
   * Lists session {@code id} in the index of {@code gs} until a state TTL plus the index refresh
   * period from now. Joins and resumes call it, and ticket rounds now and then.
   */
  public Uni<Void> touchIndex(GsId gs, SessionId id) {
    long now = clock.millis();
    return INDEX
        .run(
            redis,
            List.of(RedisKeys.sessionIndex(gs)),
            List.of(
                id.hex(),
                Long.toString(now + indexSpanMs),
                Long.toString(now),
                Long.toString(indexSpanMs)))
        .replaceWithVoid();
  }

  private static Optional<LiveSession> parse(SessionId id, Map<String, String> fields) {
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    boolean active = field(fields, "status").equals("active");
    return Optional.of(
        new LiveSession(
            id,
            new GsId(field(fields, "gs")),
            Ed25519PublicKey.fromHex(field(fields, "skey")),
            Hash.fromHex(field(fields, "sw")),
            active,
            Integer.parseInt(field(fields, "reason")),
            active ? 0 : Long.parseLong(field(fields, "revoked")),
            Long.parseLong(field(fields, "tcount")),
            Hash.fromHex(field(fields, "thash")),
            KeptTicket.decode(field(fields, "kept")),
            Long.parseLong(field(fields, "gscount")),
            field(fields, "owner")));
  }

  private static String field(Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null) {
      throw new IllegalStateException("session state lacks field " + name);
    }
    return value;
  }
}
