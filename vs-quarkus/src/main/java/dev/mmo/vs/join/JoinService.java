package dev.mmo.vs.join;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.JoinRequest;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.vs.batch.SigningUnavailableException;
import dev.mmo.vs.batch.StatementSigner;
import dev.mmo.vs.config.VsConfig;
import dev.mmo.vs.enrollment.Enrollment;
import dev.mmo.vs.enrollment.EnrollmentService;
import dev.mmo.vs.gs.RejectedException;
import dev.mmo.vs.redis.LuaScript;
import dev.mmo.vs.redis.RedisKeys;
import dev.mmo.vs.session.LiveSessions;
import dev.mmo.vs.session.SessionLedger;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * Admits a game server: every check of docs/protocol.md section 8.1, in that order, then a new
 * session whose JoinAccept the HSM key covers. A failed check fails the Uni with a {@link
 * RejectedException} naming the reason, {@link Reason#SERVICE_UNAVAILABLE} when a part the VS needs
 * is down; once the signature has verified, rejections are marked {@link
 * RejectedException#authenticated()}.
 */
@ApplicationScoped
public class JoinService {
  private static final LuaScript RATE = LuaScript.load("rate_window");
  private static final long MINUTE_MS = 60_000;

  private final EnrollmentService enrollments;
  private final StatementSigner signer;
  private final LiveSessions sessions;
  private final SessionLedger ledger;
  private final ReactiveRedisDataSource redis;
  private final ClockSkewCheck clockSkew;
  private final Clock clock;
  private final VsConfig config;
  private final SecureRandom random = new SecureRandom();

  public JoinService(
      EnrollmentService enrollments,
      StatementSigner signer,
      LiveSessions sessions,
      SessionLedger ledger,
      ReactiveRedisDataSource redis,
      ClockSkewCheck clockSkew,
      Clock clock,
      VsConfig config) {
    this.enrollments = enrollments;
    this.signer = signer;
    this.sessions = sessions;
    this.ledger = ledger;
    this.redis = redis;
    this.clockSkew = clockSkew;
    this.clock = clock;
    this.config = config;
  }

  /**
   * Runs the checks on {@code request} (whose encoded frame is {@code frame}) and admits the game
   * server, binding the new session to {@code owner}.
   */
  public Uni<Attested<JoinAccept>> join(Signed<JoinRequest> request, byte[] frame, String owner) {
    JoinRequest body = request.body();
    return enrollments
        .find(body.gsId())
        .plug(RejectedException.whenDown("PostgreSQL"))
        .map(
            found ->
                found.orElseThrow(
                    () -> RejectedException.of(Reason.NOT_ENROLLED, "unknown game server")))
        .invoke(enrollment -> authenticate(enrollment, request))
        .chain(
            enrollment ->
                admitAuthenticated(enrollment, body, frame, owner)
                    .onFailure()
                    .transform(RejectedException::afterAuthentication));
  }

  /** Steps 3 and 4 of section 8.1. */
  private static void authenticate(Enrollment enrollment, Signed<JoinRequest> request) {
    if (enrollment.revoked()) {
      throw RejectedException.of(Reason.ENROLLMENT_REVOKED, "enrollment revoked");
    }
    try {
      request.verify(Ed25519Verifier.of(enrollment.publicKey()));
    } catch (Rejection e) {
      throw new RejectedException(e);
    }
  }

  /** The join rate of the game server, then steps 5 to 8, then the admission. */
  private Uni<Attested<JoinAccept>> admitAuthenticated(
      Enrollment enrollment, JoinRequest body, byte[] frame, String owner) {
    return withinRate(body.gsId())
        .invoke(
            () -> {
              if (!enrollment.allowedSoftware().contains(body.swHash())) {
                throw RejectedException.of(
                    Reason.SW_HASH_NOT_ALLOWED, "sw_hash " + body.swHash() + " not allowed");
              }
              clockSkew.check(body.gsTimeMs());
            })
        .chain(() -> nonceUnseen(body))
        .invoke(() -> sessionKeyValid(body))
        .chain(() -> admit(body, frame, owner));
  }

  /**
   * At most {@code max-joins-per-minute} signed attempts per game server and minute. Counted only
   * once the signature verified, so nobody without the game server's key can use up its attempts.
   */
  private Uni<Void> withinRate(GsId gs) {
    long minute = clock.millis() / MINUTE_MS;
    return RATE.run(
            redis,
            List.of(RedisKeys.joinRate(gs, minute)),
            List.of(Integer.toString(config.join().maxJoinsPerMinute()), Long.toString(MINUTE_MS)))
        .plug(RejectedException.whenDown("Redis"))
        .map(
            allowed -> {
              if (allowed.toInteger() != 1) {
                throw RejectedException.of(Reason.RATE_LIMITED, "join rate exceeded for " + gs);
              }
              return null;
            });
  }

  /** Step 7: the nonce is new (SET NX, kept longer than a request may be accepted). */
  private Uni<Void> nonceUnseen(JoinRequest body) {
    long keepMs = 2 * config.join().maxClockSkew().toMillis() + MINUTE_MS;
    return redis
        .execute(
            Command.SET,
            RedisKeys.joinNonce(body.gsId(), body.nonce().bytes().hex()),
            "1",
            "NX",
            "PX",
            Long.toString(keepMs))
        .plug(RejectedException.whenDown("Redis"))
        .map(
            stored -> {
              if (stored == null) {
                throw RejectedException.of(Reason.REPLAY, "join nonce seen before");
              }
              return null;
            });
  }

  private static void sessionKeyValid(JoinRequest body) {
    try {
      Ed25519Verifier.of(body.sessionKey());
    } catch (Rejection e) {
      throw new RejectedException(e);
    }
  }

  private Uni<Attested<JoinAccept>> admit(JoinRequest body, byte[] frame, String owner) {
    VsConfig.Session cadence = config.session();
    VsConfig.Rules r = config.rules();
    JoinAccept accept =
        new JoinAccept(
            SessionId.random(random),
            body.gsId(),
            body.sessionKey(),
            body.swHash(),
            Hashes.frameHash(frame),
            clock.millis(),
            cadence.heartbeatInterval().toMillis(),
            cadence.ticketInterval().toMillis(),
            cadence.ticketLifetime().toMillis(),
            new GameRules(
                r.tickRateHz(), r.maxSpeed(), new Bounds(r.minX(), r.minY(), r.maxX(), r.maxY())));
    return signer
        .sign(accept)
        .onFailure(SigningUnavailableException.class)
        .transform(e -> RejectedException.of(Reason.SERVICE_UNAVAILABLE, e.getMessage()))
        .call(
            attested ->
                sessions
                    .create(
                        accept.sessionId(),
                        accept.gsId(),
                        accept.sessionKey(),
                        accept.swHash(),
                        Hashes.statementHash(accept),
                        accept.issuedAtMs(),
                        accept.rules(),
                        owner)
                    .plug(RejectedException.whenDown("Redis"))
                    .invoke(
                        created -> {
                          if (!created) {
                            throw new IllegalStateException("session id collision");
                          }
                        }))
        .call(attested -> recordAdmission(attested));
  }

  /**
   * Records the session in PostgreSQL, which also closes the race with a revocation committed while
   * this join was being checked ({@link SessionLedger#recordAdmission}): then the session just made
   * in Redis is revoked and the join refused.
   */
  private Uni<Void> recordAdmission(Attested<JoinAccept> attested) {
    JoinAccept accept = attested.statement();
    return ledger
        .recordAdmission(attested)
        .plug(RejectedException.whenDown("PostgreSQL"))
        .chain(
            recorded -> {
              if (recorded) {
                return Uni.createFrom().voidItem();
              }
              return sessions
                  .revoke(accept.sessionId(), Reason.ENROLLMENT_REVOKED.code(), clock.millis())
                  .plug(RejectedException.whenDown("Redis"))
                  .invoke(
                      revoked -> {
                        throw RejectedException.of(
                            Reason.ENROLLMENT_REVOKED, "enrollment revoked during join");
                      })
                  .replaceWithVoid();
            });
  }
}
