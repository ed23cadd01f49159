package dev.mmo.vs.session;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.vs.config.VsConfig;
import dev.mmo.vs.config.VsConfigCheck;
import dev.mmo.vs.redis.LuaScript;
import dev.mmo.vs.redis.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.ZRangeArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
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
  private static final LuaScript HEARTBEAT = LuaScript.load("heartbeat");
  private static final LuaScript NOTARIZE = LuaScript.load("digest_notarize");
  private static final LuaScript SILENCE = LuaScript.load("session_silence");

  /** Outcome of a bind after a verified ResumeRequest. */
  public enum BindOutcome {
    OK,
    MISSING,
    REVOKED,
    NOT_INCREASING
  }

  /** Outcome of accepting a heartbeat or notarizing a digest. */
  public enum AttestOutcome {
    OK,
    MISSING,
    REVOKED,
    NOT_OWNER,
    NOT_INCREASING,
    /** Another digest was notarized since the audit read its baseline. */
    CONFLICT,
    /** The digest would take the session over its limit of tracked players. */
    TOO_MANY_PLAYERS
  }

  /** Outcome of a revocation. */
  public enum RevokeOutcome {
    /** This call revoked the session: its decision is the one every replica signs. */
    REVOKED,
    /** The session was revoked before; its first decision stands. */
    ALREADY,
    /** Redis holds no live state for the session (never admitted here, or expired). */
    MISSING
  }

  /** Outcome of a silence check: the session revoked now, or the heartbeat that keeps it alive. */
  public sealed interface SilenceOutcome {
    /** Revoked by this call, or before, or gone: nothing left to watch. */
    record Ended(RevokeOutcome outcome) implements SilenceOutcome {}

    /** Still within its allowance: heard at {@code lastHeartbeatMs}. */
    record Alive(long lastHeartbeatMs) implements SilenceOutcome {}
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
  private final long silenceMs;

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
    this.silenceMs = config.attest().maxSilence().toMillis();
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

  /**
   * Creates the state of a session just admitted; false when the id is already taken.
   *
   * @param issuedAtMs the JoinAccept's issued_at_ms: the session clock's origin and the time
   *     baseline of the first digest
   * @param rules the rules the JoinAccept pinned
   */
  public Uni<Boolean> create(
      SessionId id,
      GsId gs,
      Ed25519PublicKey sessionKey,
      Hash swHash,
      Hash joinAcceptHash,
      long issuedAtMs,
      GameRules rules,
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
                Long.toString(ttlMs),
                Long.toString(issuedAtMs),
                encodeRules(rules)))
        .map(created -> created.toInteger() == 1)
        .call(
            created ->
                created
                    ? touchIndex(gs, id).chain(() -> watchSilence(id))
                    : Uni.createFrom().voidItem());
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
                        .chain(() -> watchSilence(session.sessionId()))
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
   * Marks the session revoked for {@code reasonCode}, decided at {@code decidedAtMs}. A session
   * revoked before keeps its first reason and time.
   */
  public Uni<RevokeOutcome> revoke(SessionId id, int reasonCode, long decidedAtMs) {
    return REVOKE
        .run(
            redis,
            List.of(RedisKeys.session(id)),
            List.of(Integer.toString(reasonCode), Long.toString(decidedAtMs)))
        .map(r -> RevokeOutcome.valueOf(r.toString()));
  }

  /**
   * Accepts a verified heartbeat with {@code gsCounter} on the connection {@code owner}: the
   * counter advances and the session counts as heard from now. With {@code watch}, the session is
   * also put on the silence watch again ({@link #watchSilence}).
   */
  public Uni<AttestOutcome> heartbeat(SessionId id, String owner, long gsCounter, boolean watch) {
    return HEARTBEAT
        .run(
            redis,
            List.of(RedisKeys.session(id), RedisKeys.sessionPlayers(id)),
            List.of(
                owner,
                Long.toString(gsCounter),
                Long.toString(clock.millis()),
                Long.toString(ttlMs)))
        .map(r -> AttestOutcome.valueOf(r.toString()))
        .call(
            outcome ->
                watch && outcome == AttestOutcome.OK
                    ? watchSilence(id)
                    : Uni.createFrom().voidItem());
  }

  /**
   * The last notarized positions of {@code players} in session {@code id}; players never notarized
   * are absent from the map.
   */
  public Uni<Map<Ed25519PublicKey, NotarizedPosition>> positions(
      SessionId id, List<Ed25519PublicKey> players) {
    if (players.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    String[] fields = players.stream().map(Ed25519PublicKey::hex).toArray(String[]::new);
    return redis
        .hash(String.class)
        .hmget(RedisKeys.sessionPlayers(id), fields)
        .map(
            values -> {
              Map<Ed25519PublicKey, NotarizedPosition> found = new HashMap<>();
              for (Ed25519PublicKey player : players) {
                String value = values.get(player.hex());
                if (value != null) {
                  found.put(player, NotarizedPosition.decode(value));
                }
              }
              return found;
            });
  }

  /**
   * Commits an audited digest: gs_counter advances, the digest becomes the session's baseline and
   * every position in it becomes its player's notarized position, unless another digest was
   * notarized after {@code baselineCounter}. With {@code watch}, the session is also put on the
   * silence watch again.
   */
  public Uni<AttestOutcome> notarize(
      SessionId id,
      String owner,
      long gsCounter,
      long baselineCounter,
      long tick,
      long notarizedAtMs,
      Hash digestHash,
      List<PlayerPosition> positions,
      int maxPlayers,
      boolean watch) {
    List<String> args = new ArrayList<>(8 + 2 * positions.size());
    args.add(owner);
    args.add(Long.toString(gsCounter));
    args.add(Long.toString(baselineCounter));
    args.add(Long.toString(tick));
    args.add(Long.toString(notarizedAtMs));
    args.add(digestHash.hex());
    args.add(Long.toString(ttlMs));
    args.add(Integer.toString(maxPlayers));
    for (PlayerPosition p : positions) {
      args.add(p.player().hex());
      args.add(new NotarizedPosition(p.position(), tick, gsCounter).encode());
    }
    return NOTARIZE
        .run(redis, List.of(RedisKeys.session(id), RedisKeys.sessionPlayers(id)), args)
        .map(r -> AttestOutcome.valueOf(r.toString()))
        .call(
            outcome ->
                watch && outcome == AttestOutcome.OK
                    ? watchSilence(id)
                    : Uni.createFrom().voidItem());
  }

  /**
   * Puts session {@code id} on the silence watch: unless it is heard from again, it is due for a
   * check one silence allowance from now.
   */
  public Uni<Void> watchSilence(SessionId id) {
    return redis
        .sortedSet(String.class)
        .zadd(RedisKeys.silenceWatch(), (double) (clock.millis() + silenceMs), id.hex())
        .replaceWithVoid();
  }

  /** Up to {@code limit} sessions due for a silence check now. */
  public Uni<List<SessionId>> dueForSilenceCheck(int limit) {
    return redis
        .sortedSet(String.class)
        .zrangebyscore(
            RedisKeys.silenceWatch(),
            new ScoreRange<>(Double.NEGATIVE_INFINITY, (double) clock.millis()),
            new ZRangeArgs().limit(0, limit))
        .map(members -> members.stream().map(SessionId::fromHex).toList());
  }

  /**
   * Revokes session {@code id} with MISSED_HEARTBEATS if it has not been heard from for longer than
   * the silence allowance; else puts it back on the watch at its real deadline.
   */
  public Uni<SilenceOutcome> checkSilence(SessionId id) {
    long now = clock.millis();
    return SILENCE
        .run(
            redis,
            List.of(RedisKeys.session(id)),
            List.of(
                Long.toString(now),
                Long.toString(silenceMs),
                Integer.toString(Reason.MISSED_HEARTBEATS.code())))
        .chain(
            r -> {
              String result = r.toString();
              if (result.equals("REVOKED")
                  || result.equals("ALREADY")
                  || result.equals("MISSING")) {
                SilenceOutcome ended = new SilenceOutcome.Ended(RevokeOutcome.valueOf(result));
                return redis
                    .sortedSet(String.class)
                    .zrem(RedisKeys.silenceWatch(), id.hex())
                    .replaceWith(ended);
              }
              long heard = Long.parseLong(result);
              SilenceOutcome alive = new SilenceOutcome.Alive(heard);
              return redis
                  .sortedSet(String.class)
                  .zadd(RedisKeys.silenceWatch(), (double) (heard + silenceMs), id.hex())
                  .replaceWith(alive);
            });
  }

  /**
   * What the next digest of session {@code id} is audited against in time, or empty when the
   * session is revoked or gone. Reads only those fields, not the whole state.
   */
  public Uni<Optional<NotarizedBaseline>> baseline(SessionId id) {
    return redis
        .hash(String.class)
        .hmget(
            RedisKeys.session(id),
            "status",
            "ncount",
            "ntick",
            "ntime",
            "ndigest",
            "start",
            "created")
        .map(
            f -> {
              if (!"active".equals(f.get("status"))) {
                return Optional.empty();
              }
              return Optional.of(baselineOf(f));
            });
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
            field(fields, "owner"),
            decodeRules(field(fields, "rules")),
            Long.parseLong(field(fields, "hb")),
            baselineOf(fields)));
  }

  private static NotarizedBaseline baselineOf(Map<String, String> fields) {
    return new NotarizedBaseline(
        Long.parseLong(field(fields, "ncount")),
        Long.parseLong(field(fields, "ntick")),
        Long.parseLong(field(fields, "ntime")),
        field(fields, "ndigest"),
        Long.parseLong(startOf(fields)));
  }

  /**
   * The JoinAccept's issued_at_ms. State written before the field existed falls back to the
   * session's creation time, taken just after issued_at_ms: the session clock is then at most that
   * gap stricter, which its tolerance covers.
   */
  private static String startOf(Map<String, String> fields) {
    String start = fields.get("start");
    return start != null ? start : field(fields, "created");
  }

  /** The Redis field value of pinned rules: {@code tick_rate:max_speed:min_x:min_y:max_x:max_y}. */
  static String encodeRules(GameRules rules) {
    Bounds b = rules.bounds();
    return rules.tickRateHz()
        + ":"
        + rules.maxSpeed()
        + ":"
        + b.minX()
        + ":"
        + b.minY()
        + ":"
        + b.maxX()
        + ":"
        + b.maxY();
  }

  static GameRules decodeRules(String value) {
    String[] p = value.split(":", -1);
    if (p.length != 6) {
      throw new IllegalStateException("session rules are not six numbers: " + value);
    }
    return new GameRules(
        Integer.parseInt(p[0]),
        Integer.parseInt(p[1]),
        new Bounds(
            Integer.parseInt(p[2]),
            Integer.parseInt(p[3]),
            Integer.parseInt(p[4]),
            Integer.parseInt(p[5])));
  }

  private static String field(Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null) {
      throw new IllegalStateException("session state lacks field " + name);
    }
    return value;
  }
}
