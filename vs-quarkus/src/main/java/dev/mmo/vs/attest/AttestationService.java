package dev.mmo.vs.attest;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.Heartbeat;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.vs.admission.Admission;
import dev.mmo.vs.audit.AuditLog;
import dev.mmo.vs.batch.SigningUnavailableException;
import dev.mmo.vs.batch.StatementSigner;
import dev.mmo.vs.config.VsConfig;
import dev.mmo.vs.join.ClockSkewCheck;
import dev.mmo.vs.revocation.RevocationService;
import dev.mmo.vs.session.LiveSessions;
import dev.mmo.vs.session.LiveSessions.AttestOutcome;
import dev.mmo.vs.session.NotarizedBaseline;
import dev.mmo.vs.session.NotarizedPosition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Checks the heartbeats and transcript digests of a bound connection (docs/protocol.md sections 9.1
 * and 9.2) and notarizes digests. Every failed check revokes the session with its reason and
 * evidence; a digest that passes is committed in Redis, covered by a batch signature, accepted by
 * the audit trail, and only then is its receipt released.
 *
 * <p>The caller runs one frame of a connection at a time, so the connection's own counter ({@code
 * lastGsCounter}) is exact: only the bound connection may advance the session's counter, which the
 * Redis scripts enforce.
 */
@ApplicationScoped
public class AttestationService {
  private static final Logger LOG = Logger.getLogger(AttestationService.class);

  private final LiveSessions sessions;
  private final RevocationService revocations;
  private final StatementSigner signer;
  private final AuditLog audit;
  private final ClockSkewCheck clockSkew;
  private final Admission admission;
  private final Clock clock;
  private final PhysicsAudit.TickClock tickClock;
  private final int maxTrackedPlayers;

  /** How often a connection puts its session on the silence watch again: half the allowance. */
  private final long rewatchMs;

  private final Counter heartbeats;
  private final Counter receipts;
  private final Counter unavailable;
  private final Timer notarization;

  public AttestationService(
      LiveSessions sessions,
      RevocationService revocations,
      StatementSigner signer,
      AuditLog audit,
      ClockSkewCheck clockSkew,
      Admission admission,
      Clock clock,
      VsConfig config,
      MeterRegistry meters) {
    this.sessions = sessions;
    this.revocations = revocations;
    this.signer = signer;
    this.audit = audit;
    this.clockSkew = clockSkew;
    this.admission = admission;
    this.clock = clock;
    this.tickClock =
        new PhysicsAudit.TickClock(
            config.attest().tickClockTolerance().toMillis(),
            config.attest().tickClockDriftPpm(),
            config.attest().tickCatchUp().toMillis());
    this.maxTrackedPlayers = config.attest().maxTrackedPlayers();
    this.rewatchMs = Math.max(1, config.attest().maxSilence().toMillis() / 2);
    this.heartbeats =
        Counter.builder("mmo.vs.heartbeats").description("heartbeats accepted").register(meters);
    this.receipts =
        Counter.builder("mmo.vs.receipts").description("receipts released").register(meters);
    this.unavailable =
        Counter.builder("mmo.vs.attest.unavailable")
            .description("heartbeats and digests left unchecked: Redis, HSM or audit trail down")
            .register(meters);
    this.notarization =
        Timer.builder("mmo.vs.notarization")
            .description("digest received to receipt ready, receipts released")
            .publishPercentiles(0.5, 0.99)
            .register(meters);
  }

  /**
   * Checks a heartbeat that arrived on the connection bound to {@code bound}, whose last accepted
   * gs_counter is {@code lastGsCounter}.
   *
   * @param kept what the connection keeps of its session: here, when it last put it on the silence
   *     watch
   */
  public Uni<Verdict> heartbeat(
      BoundSession bound,
      long lastGsCounter,
      Signed<Heartbeat> frame,
      byte[] bytes,
      String owner,
      KeptSession kept) {
    Heartbeat hb = frame.body();
    if (!hb.sessionId().equals(bound.sessionId())) {
      return Uni.createFrom()
          .item(new Verdict.Refused(Reason.WRONG_SESSION, "heartbeat of another session"));
    }
    long nowMs = clock.millis();
    Optional<Finding> finding = heartbeatFinding(bound, lastGsCounter, frame, nowMs);
    if (finding.isPresent()) {
      return revoke(bound, finding.get(), bytes);
    }
    boolean watch = kept.watchDue(nowMs, rewatchMs);
    return sessions
        .heartbeat(bound.sessionId(), owner, hb.gsCounter(), watch)
        .chain(
            outcome -> {
              if (outcome == AttestOutcome.OK) {
                if (watch) {
                  kept.watched(nowMs);
                }
                heartbeats.increment();
                return Uni.createFrom().item((Verdict) new Verdict.Accepted());
              }
              return afterRedis(bound, outcome, hb.gsCounter(), bytes);
            })
        .onFailure()
        .recoverWithItem(this::unavailable);
  }

  /**
   * Checks a digest that arrived on the connection bound to {@code bound} and notarizes it.
   *
   * @param kept what the connection kept of the notarized state after its last digest; read from
   *     Redis where it holds nothing, updated when the digest is notarized, dropped otherwise
   * @param receivedAtMs when it arrived (VS time): the t_now of the time check
   */
  public Uni<Verdict> digest(
      BoundSession bound,
      long lastGsCounter,
      Signed<TranscriptDigest> frame,
      byte[] bytes,
      String owner,
      KeptSession kept,
      long receivedAtMs) {
    TranscriptDigest digest = frame.body();
    if (!digest.sessionId().equals(bound.sessionId())) {
      return Uni.createFrom()
          .item(new Verdict.Refused(Reason.WRONG_SESSION, "digest of another session"));
    }
    Optional<Finding> finding =
        signatureAndCounter(bound, lastGsCounter, frame, digest.gsCounter());
    if (finding.isPresent()) {
      kept.drop();
      return revoke(bound, finding.get(), bytes);
    }
    List<Ed25519PublicKey> players =
        digest.positions().stream().map(PlayerPosition::player).toList();
    return baseline(bound.sessionId(), kept)
        .chain(
            found -> {
              if (found.isEmpty()) {
                return Uni.createFrom().item((Verdict) new Verdict.SessionOver());
              }
              NotarizedBaseline baseline = found.get();
              return positions(bound.sessionId(), players, kept)
                  .chain(
                      previous -> {
                        Optional<Finding> violation =
                            PhysicsAudit.audit(
                                digest, baseline, receivedAtMs, tickClock, bound.rules(), previous);
                        if (violation.isPresent()) {
                          kept.drop();
                          return revoke(bound, violation.get(), bytes);
                        }
                        return notarize(bound, baseline, digest, bytes, owner, kept, receivedAtMs);
                      });
            })
        .onFailure()
        .recoverWithItem(
            f -> {
              kept.drop();
              return unavailable(f);
            });
  }

  /**
   * The baseline the connection kept, or else the one Redis holds (empty once the session ended).
   */
  private Uni<Optional<NotarizedBaseline>> baseline(SessionId id, KeptSession kept) {
    Optional<NotarizedBaseline> known = kept.baseline();
    if (known.isPresent()) {
      return Uni.createFrom().item(known);
    }
    return sessions.baseline(id).invoke(read -> read.ifPresent(kept::read));
  }

  /** The notarized positions of {@code players}; Redis is asked only for those not kept. */
  private Uni<Map<Ed25519PublicKey, NotarizedPosition>> positions(
      SessionId id, List<Ed25519PublicKey> players, KeptSession kept) {
    List<Ed25519PublicKey> unknown = kept.unknown(players);
    if (unknown.isEmpty()) {
      return Uni.createFrom().item(kept.positionsOf(players));
    }
    return sessions
        .positions(id, unknown)
        .map(
            found -> {
              kept.read(unknown, found);
              return kept.positionsOf(players);
            });
  }

  /** Steps 3 to 6 of section 9.1, in that order, all without Redis. */
  private Optional<Finding> heartbeatFinding(
      BoundSession bound, long lastGsCounter, Signed<Heartbeat> frame, long nowMs) {
    Heartbeat hb = frame.body();
    Optional<Finding> first = signatureAndCounter(bound, lastGsCounter, frame, hb.gsCounter());
    if (first.isPresent()) {
      return first;
    }
    if (!hb.swHash().equals(bound.swHash())) {
      return Optional.of(
          finding(
              Reason.SW_HASH_MISMATCH,
              "sw_hash differs from the pinned one",
              Map.of("pinned_sw_hash", bound.swHash().hex(), "sw_hash", hb.swHash().hex())));
    }
    if (!clockSkew.plausible(hb.gsTimeMs(), nowMs)) {
      return Optional.of(
          finding(
              Reason.CLOCK_SKEW,
              "gs_time_ms off by " + (hb.gsTimeMs() - nowMs) + " ms",
              Map.of(
                  "gs_time_ms",
                  hb.gsTimeMs(),
                  "vs_time_ms",
                  nowMs,
                  "max_skew_ms",
                  clockSkew.maxSkewMs())));
    }
    return Optional.empty();
  }

  private static Optional<Finding> signatureAndCounter(
      BoundSession bound, long lastGsCounter, Signed<?> frame, long gsCounter) {
    try {
      frame.verify(bound.verifier());
    } catch (dev.mmo.protocol.Rejection e) {
      return Optional.of(
          finding(
              Reason.BAD_SIGNATURE,
              "signature does not verify with the session key",
              Map.of("session_key", bound.verifier().key().hex())));
    }
    if (gsCounter <= lastGsCounter) {
      return Optional.of(counterFinding(gsCounter, lastGsCounter));
    }
    return Optional.empty();
  }

  private Uni<Verdict> notarize(
      BoundSession bound,
      NotarizedBaseline baseline,
      TranscriptDigest digest,
      byte[] bytes,
      String owner,
      KeptSession kept,
      long receivedAtMs) {
    Hash digestHash = Hashes.frameHash(bytes);
    boolean watch = kept.watchDue(receivedAtMs, rewatchMs);
    return sessions
        .notarize(
            bound.sessionId(),
            owner,
            digest.gsCounter(),
            baseline.gsCounter(),
            digest.tick(),
            receivedAtMs,
            digestHash,
            digest.positions(),
            maxTrackedPlayers,
            watch)
        .invoke(
            outcome -> {
              if (outcome == AttestOutcome.OK) {
                if (watch) {
                  kept.watched(receivedAtMs);
                }
                kept.notarized(
                    new NotarizedBaseline(
                        digest.gsCounter(),
                        digest.tick(),
                        receivedAtMs,
                        digestHash.hex(),
                        baseline.sessionStartMs()),
                    digest.positions());
              } else {
                kept.drop();
              }
            })
        .chain(
            outcome -> {
              switch (outcome) {
                case OK:
                  return release(digest, digestHash, bytes, receivedAtMs);
                case TOO_MANY_PLAYERS:
                  return revoke(
                      bound,
                      finding(
                          Reason.TOO_MANY_CLIENTS,
                          "more than " + maxTrackedPlayers + " players in one session",
                          Map.of("max_tracked_players", maxTrackedPlayers)),
                      bytes);
                case CONFLICT:
                  // Only this connection notarizes this session, one digest at a time, and it
                  // keeps the baseline it notarized last: a bug. The kept copy is dropped.
                  LOG.errorf(
                      "session %s: baseline moved under a digest; digest not notarized",
                      bound.sessionId().hex());
                  return Uni.createFrom()
                      .item(
                          (Verdict)
                              new Verdict.Refused(
                                  Reason.INTERNAL_ERROR, "notarization baseline moved"));
                default:
                  return afterRedis(bound, outcome, digest.gsCounter(), bytes);
              }
            });
  }

  /** Signs the receipt and has the audit trail accept it; only then is it released. */
  private Uni<Verdict> release(
      TranscriptDigest digest, Hash digestHash, byte[] bytes, long receivedAtMs) {
    ProtectedReceipt receipt =
        new ProtectedReceipt(
            digest.sessionId(), digest.gsCounter(), digest.receiptTip(), digestHash, receivedAtMs);
    return signer
        .sign(receipt)
        .call(attested -> audit.receipt(attested, bytes))
        .map(
            attested -> {
              receipts.increment();
              long tookMs = clock.millis() - receivedAtMs;
              notarization.record(tookMs, TimeUnit.MILLISECONDS);
              admission.receiptReleased(tookMs);
              return (Verdict) new Verdict.Notarized(attested);
            })
        .onFailure()
        .recoverWithItem(
            f -> {
              // Notarized in Redis (it is the baseline now), but no receipt exists for it: the
              // game server sees none and sends its next digest.
              unavailable.increment();
              if (!(f instanceof SigningUnavailableException)) {
                LOG.warnf(
                    "session %s: receipt %d not released: %s",
                    digest.sessionId().hex(), digest.gsCounter(), f.toString());
              }
              return new Verdict.Accepted();
            });
  }

  /** What an outcome other than OK of a Redis script means for the connection. */
  private Uni<Verdict> afterRedis(
      BoundSession bound, AttestOutcome outcome, long gsCounter, byte[] bytes) {
    if (outcome == AttestOutcome.NOT_INCREASING) {
      // Another connection of this session advanced the counter meanwhile: this frame is a replay
      // as far as the session is concerned.
      return revoke(
          bound,
          finding(
              Reason.COUNTER_NOT_INCREASING,
              "gs_counter " + gsCounter + " not above the session's",
              Map.of("gs_counter", gsCounter)),
          bytes);
    }
    return Uni.createFrom().item(new Verdict.SessionOver());
  }

  private Uni<Verdict> revoke(BoundSession bound, Finding finding, byte[] bytes) {
    Map<String, Object> evidence = new LinkedHashMap<>(finding.evidence());
    evidence.put("detail", finding.detail());
    evidence.put("frame", Base64.getEncoder().encodeToString(bytes));
    LOG.infof(
        "session %s revoked: %s (%s)", bound.sessionId().hex(), finding.reason(), finding.detail());
    return revocations
        .decide(bound.sessionId(), bound.gsId(), finding.reason(), evidence)
        .map(decided -> (Verdict) new Verdict.SessionOver())
        .onFailure()
        .recoverWithItem(
            f -> {
              // Not decided (Redis unreachable): fail closed on this connection at least.
              LOG.warnf(
                  "session %s: revocation for %s not decided: %s",
                  bound.sessionId().hex(), finding.reason(), f.toString());
              return new Verdict.Refused(finding.reason(), finding.detail());
            });
  }

  private Verdict unavailable(Throwable failure) {
    unavailable.increment();
    LOG.debugf("heartbeat or digest left unchecked: %s", failure.toString());
    return new Verdict.Unavailable(failure.toString());
  }

  private static Finding counterFinding(long gsCounter, long lastGsCounter) {
    return finding(
        Reason.COUNTER_NOT_INCREASING,
        "gs_counter " + gsCounter + " not above " + lastGsCounter,
        Map.of("gs_counter", gsCounter, "last_gs_counter", lastGsCounter));
  }

  private static Finding finding(Reason reason, String detail, Map<String, Object> evidence) {
    return new Finding(reason, detail, evidence);
  }
}
