package dev.mmo.vs.gs;

import static dev.mmo.vs.gs.GsFixtures.attested;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.chain.TicketChainVerifier;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.Heartbeat;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.MessageType;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.vs.enrollment.GameServerRevoked;
import dev.mmo.vs.hsm.HsmSigner;
import dev.mmo.vs.redis.RedisKeys;
import dev.mmo.vs.session.LiveSession;
import dev.mmo.vs.session.LiveSessions;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The /gs endpoint against real Redis, PostgreSQL and the SoftHSM token. */
@QuarkusTest
class GameServerEndpointTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  @TestHTTPResource("/gs")
  URI http;

  @Inject Pool pool;
  @Inject AgroalDataSource db;
  @Inject RedisDataSource redis;
  @Inject HsmSigner hsm;
  @Inject LiveSessions sessions;
  @Inject GsLinks links;
  @Inject MeterRegistry registry;
  @Inject Event<GameServerRevoked> revocations;

  private final Map<GsId, Ed25519KeyPair> keys = new HashMap<>();
  private GsFixtures fixtures;
  private VsProofVerifier proofs;
  private URI gs;

  @BeforeEach
  void setUp() {
    fixtures = new GsFixtures(pool);
    proofs = new VsProofVerifier(TrustAnchors.of(hsm.publicKey()));
    gs = URI.create(http.toString().replaceFirst("^http", "ws"));
  }

  /** A joined game server: its socket, keys and the verified JoinAccept. */
  private record Joined(GsTestClient client, Ed25519KeyPair sessionKey, JoinAccept accept) {}

  private Joined join() throws Exception {
    GsId id = enrolled();
    return join(id, keyOf(id));
  }

  private Ed25519KeyPair keyOf(GsId id) {
    return keys.get(id);
  }

  private GsId enrolled() {
    Ed25519KeyPair key = GsFixtures.freshKey();
    GsId id = fixtures.enroll(GsFixtures.freshId(), key);
    keys.put(id, key);
    return id;
  }

  private Joined join(GsId id, Ed25519KeyPair key) throws Exception {
    Ed25519KeyPair sessionKey = GsFixtures.freshKey();
    GsTestClient client = GsTestClient.connect(gs);
    client.send(GsFixtures.joinRequest(id, key, sessionKey, GsFixtures.SOFTWARE, now()));
    Attested<JoinAccept> accept = attested(client.next(WAIT), JoinAccept.class);
    return new Joined(client, sessionKey, proofs.verify(accept));
  }

  // ---- join -------------------------------------------------------------------------------

  @Test
  void join_enrolledServer_provenJoinAcceptThenChainedFreshTickets() throws Exception {
    GsId id = enrolled();
    Joined joined = join(id, keyOf(id));
    try (GsTestClient client = joined.client()) {
      JoinAccept accept = joined.accept();
      assertThat(accept.gsId()).isEqualTo(id);
      assertThat(accept.sessionKey()).isEqualTo(joined.sessionKey().publicKey());
      assertThat(accept.swHash()).isEqualTo(GsFixtures.SOFTWARE);
      TicketChainVerifier chain = new TicketChainVerifier(proofs, accept, 2_000);
      PlayTicket previous = null;
      for (int i = 1; i <= 4; i++) {
        PlayTicket ticket = chain.accept(attested(client.next(WAIT), PlayTicket.class), now());
        assertThat(ticket.counter()).isEqualTo(i);
        assertThat(chain.checkFresh(now())).isEqualTo(ticket);
        assertThat(ticket.notAfterMs() - ticket.notBeforeMs()).isEqualTo(accept.ticketLifetimeMs());
        if (previous != null) {
          // Cadence: one ticket per interval (timer jitter allowed, never faster than half of it).
          assertThat(ticket.notBeforeMs() - previous.notBeforeMs())
              .isBetween(accept.ticketIntervalMs() / 2, accept.ticketIntervalMs() + 1_000);
        }
        previous = ticket;
      }
    }
    assertThat(fixtures.sessionRows(id)).isEqualTo(1);
  }

  @Test
  void join_manyGameServersAtOnce_shareBatchHeads() throws Exception {
    int servers = 24;
    List<GsId> ids = new ArrayList<>();
    for (int i = 0; i < servers; i++) {
      ids.add(enrolled());
    }
    List<GsTestClient> clients = new ArrayList<>();
    try {
      for (GsId id : ids) {
        GsTestClient client = GsTestClient.connect(gs);
        clients.add(client);
        client.send(
            GsFixtures.joinRequest(
                id, keyOf(id), GsFixtures.freshKey(), GsFixtures.SOFTWARE, now()));
      }
      Set<BatchHead> heads = new HashSet<>();
      for (GsTestClient client : clients) {
        Attested<JoinAccept> accept = attested(client.next(WAIT), JoinAccept.class);
        proofs.verify(accept);
        heads.add(accept.proof().batchHead());
      }
      // Joins that arrive within one batch window are covered by one HSM signature.
      assertThat(heads.size()).isLessThan(servers);
    } finally {
      clients.forEach(GsTestClient::close);
    }
  }

  @Test
  void join_unknownServer_closedWithNotEnrolledCountedButNotRecorded() throws Exception {
    GsId stranger = GsFixtures.freshId();
    double before = rejections(Reason.NOT_ENROLLED);

    assertRefused(
        GsFixtures.joinRequest(
            stranger, GsFixtures.freshKey(), GsFixtures.freshKey(), GsFixtures.SOFTWARE, now()),
        Reason.NOT_ENROLLED);

    await().atMost(WAIT).until(() -> rejections(Reason.NOT_ENROLLED) > before);
    assertThat(fixtures.joinRejections(stranger)).isZero();
  }

  @Test
  void join_revokedEnrollment_closedWithEnrollmentRevokedAndNotRecorded() throws Exception {
    GsId id = enrolled();
    fixtures.revokeEnrollment(id);

    assertRefused(joinFrame(id), Reason.ENROLLMENT_REVOKED);

    assertThat(fixtures.joinRejections(id)).isZero();
  }

  @Test
  void join_signedByAnotherKey_closedWithBadSignature() throws Exception {
    GsId id = enrolled();
    assertRefused(
        GsFixtures.joinRequest(
            id, GsFixtures.freshKey(), GsFixtures.freshKey(), GsFixtures.SOFTWARE, now()),
        Reason.BAD_SIGNATURE);
  }

  @Test
  void join_softwareNotAllowed_closedWithSwHashNotAllowedAndRecorded() throws Exception {
    GsId id = enrolled();

    assertRefused(
        GsFixtures.joinRequest(id, keyOf(id), GsFixtures.freshKey(), Hash.ZERO, now()),
        Reason.SW_HASH_NOT_ALLOWED);

    await()
        .atMost(WAIT)
        .until(() -> fixtures.joinRejections(id, Reason.SW_HASH_NOT_ALLOWED.code()) == 1);
  }

  @Test
  void join_clockOffByMoreThanAllowed_closedWithClockSkew() throws Exception {
    GsId id = enrolled();
    assertRefused(
        GsFixtures.joinRequest(
            id, keyOf(id), GsFixtures.freshKey(), GsFixtures.SOFTWARE, now() - 60_000),
        Reason.CLOCK_SKEW);
  }

  @Test
  void join_replayedRequest_closedWithReplay() throws Exception {
    GsId id = enrolled();
    byte[] request = joinFrame(id);
    try (GsTestClient first = GsTestClient.connect(gs)) {
      first.send(request);
      attested(first.next(WAIT), JoinAccept.class);
    }
    assertRefused(request, Reason.REPLAY);
  }

  @Test
  void join_sessionKeyOfSmallOrder_closedWithBadKey() throws Exception {
    GsId id = enrolled();
    byte[] request = joinFrame(id);
    // Replace the session key (after version, type and the length-prefixed gs_id) with the
    // neutral element, and sign again with the enrolled key.
    int keyAt = 2 + 1 + id.value().length();
    byte[] unsigned = Arrays.copyOf(request, request.length - 64);
    Arrays.fill(unsigned, keyAt, keyAt + 32, (byte) 0);
    unsigned[keyAt] = 1;
    byte[] label = MessageType.JOIN_REQUEST.domainLabel();
    byte[] input = new byte[label.length + unsigned.length];
    System.arraycopy(label, 0, input, 0, label.length);
    System.arraycopy(unsigned, 0, input, label.length, unsigned.length);
    byte[] signature = keyOf(id).sign(input).bytes().toByteArray();
    byte[] forged = Arrays.copyOf(unsigned, unsigned.length + 64);
    System.arraycopy(signature, 0, forged, unsigned.length, 64);
    assertRefused(forged, Reason.BAD_KEY);
  }

  @Test
  void join_moreSignedAttemptsThanAllowedPerMinute_closedWithRateLimited() throws Exception {
    GsId id = enrolled();
    int limit = 30;
    // All attempts within one counting minute.
    await().atMost(Duration.ofSeconds(30)).until(() -> now() % 60_000 < 40_000);
    for (int i = 0; i < limit; i++) {
      assertRefused(
          GsFixtures.joinRequest(id, keyOf(id), GsFixtures.freshKey(), Hash.ZERO, now()),
          Reason.SW_HASH_NOT_ALLOWED);
    }

    assertRefused(joinFrame(id), Reason.RATE_LIMITED);

    // Refusals for the rate itself are only counted.
    await().atMost(WAIT).until(() -> fixtures.joinRejections(id) == limit);
  }

  @Test
  void join_unsignedAttemptsNamingAServer_doNotLockItOutAndAreNotRecorded() throws Exception {
    GsId id = enrolled();
    for (int i = 0; i < 40; i++) {
      assertRefused(
          GsFixtures.joinRequest(
              id, GsFixtures.freshKey(), GsFixtures.freshKey(), GsFixtures.SOFTWARE, now()),
          Reason.BAD_SIGNATURE);
    }

    Joined joined = join(id, keyOf(id));

    joined.client().close();
    assertThat(joined.accept().gsId()).isEqualTo(id);
    assertThat(fixtures.joinRejections(id)).isZero();
  }

  @Test
  void join_revokedWhileBeingAdmitted_closedWithEnrollmentRevokedAndNothingActive()
      throws Exception {
    GsId id = enrolled();
    try (Connection lock = db.getConnection();
        GsTestClient client = GsTestClient.connect(gs)) {
      lockGameServer(lock, id);
      client.send(joinFrame(id));
      // The join made its session in Redis and waits for the game server's row in PostgreSQL.
      await().atMost(WAIT).until(() -> !sessionsOf(id).isEmpty() && admissionWaitsForLock());

      try (PreparedStatement revoke =
          lock.prepareStatement(
              "UPDATE game_servers SET status = 'REVOKED', revoked_at = now(),"
                  + " revoke_reason = 'test' WHERE id = ?")) {
        revoke.setString(1, id.value());
        revoke.executeUpdate();
      }
      lock.commit();

      assertThat(client.closeStatus(WAIT)).isEqualTo(Reason.ENROLLMENT_REVOKED.closeCode());
    }
    assertThat(fixtures.sessionRows(id)).isZero();
    LiveSession session = load(sessionsOf(id).get(0));
    assertThat(session.active()).isFalse();
    assertThat(session.reasonCode()).isEqualTo(Reason.ENROLLMENT_REVOKED.code());
  }

  @Test
  void close_whileTheJoinIsAdmitted_noTicketIsEverIssuedForItsSession() throws Exception {
    GsId id = enrolled();
    SessionId session;
    try (Connection lock = db.getConnection()) {
      lockGameServer(lock, id);
      GsTestClient client = GsTestClient.connect(gs);
      client.send(joinFrame(id));
      await().atMost(WAIT).until(() -> !sessionsOf(id).isEmpty() && admissionWaitsForLock());
      session = sessionsOf(id).get(0);
      String owner = load(session).owner();
      String connectionId = owner.substring(owner.indexOf('/') + 1);
      assertThat(links.get(connectionId)).isPresent();

      client.close();
      await().atMost(WAIT).until(() -> links.get(connectionId).isEmpty());
      lock.rollback();
    }

    // The join completes for a connection that is gone: it must not start a ticket timer.
    await().atMost(WAIT).until(() -> fixtures.sessionRows(id) == 1);
    await()
        .during(Duration.ofMillis(1_500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> load(session).tipCounter() == 0);
  }

  // ---- frames and connections -------------------------------------------------------------

  @Test
  void frame_truncated_closedWithTruncated() throws Exception {
    byte[] request = joinFrame(enrolled());
    assertRefused(Arrays.copyOf(request, request.length - 1), Reason.TRUNCATED);
  }

  @Test
  void frame_text_closedWithMalformed() throws Exception {
    try (GsTestClient client = GsTestClient.connect(gs)) {
      client.sendText("{\"join\": true}");
      assertThat(client.closeStatus(WAIT)).isEqualTo(Reason.MALFORMED.closeCode());
      assertThat(client.closeReason(WAIT)).isEqualTo(Reason.MALFORMED.name());
    }
  }

  @Test
  void frame_heartbeatBeforeJoin_closedWithUnexpectedType() throws Exception {
    Ed25519KeyPair key = GsFixtures.freshKey();
    byte[] heartbeat =
        Codec.encode(
            Signed.sign(
                new Heartbeat(SessionId.random(RANDOM), 1, now(), Hash.ZERO, GsFixtures.SOFTWARE),
                key));
    assertRefused(heartbeat, Reason.UNEXPECTED_TYPE);
  }

  @Test
  void frame_anotherWhileTheJoinIsChecked_closedWithUnexpectedType() throws Exception {
    GsId id = enrolled();
    try (Connection lock = db.getConnection();
        GsTestClient client = GsTestClient.connect(gs)) {
      lockGameServer(lock, id);
      client.send(joinFrame(id));
      await().atMost(WAIT).until(() -> !sessionsOf(id).isEmpty() && admissionWaitsForLock());

      client.send(joinFrame(id));

      assertThat(client.closeStatus(WAIT)).isEqualTo(Reason.UNEXPECTED_TYPE.closeCode());
      lock.rollback();
    }
  }

  @Test
  void connection_silent_closedAfterTheBindTimeout() throws Exception {
    try (GsTestClient client = GsTestClient.connect(gs)) {
      assertThat(client.closeStatus(WAIT)).isEqualTo(Reason.UNEXPECTED_TYPE.closeCode());
      assertThat(client.closeReason(WAIT)).isEqualTo(Reason.UNEXPECTED_TYPE.name());
    }
  }

  @Test
  void connection_boundPeerAnswersNoPing_closedWithMissedHeartbeatsAndItsChainStops()
      throws Exception {
    GsId id = enrolled();
    try (RawGsSocket raw = RawGsSocket.connect(gs, InetAddress.getByName("127.0.0.1"))) {
      raw.sendBinary(joinFrame(id));

      assertThat(raw.awaitClose(WAIT)).isEqualTo(Reason.MISSED_HEARTBEATS.closeCode());

      assertThat(raw.pings()).isPositive();
      assertThat(raw.binaryFrames()).hasSizeGreaterThan(1);
    }
    SessionId session = sessionsOf(id).get(0);
    long tip = load(session).tipCounter();
    assertThat(tip).isPositive();
    await()
        .during(Duration.ofMillis(1_500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> load(session).tipCounter() == tip);
    assertThat(load(session).active()).isTrue();
  }

  // ---- resume -----------------------------------------------------------------------------

  @Test
  void resume_onNewConnection_continuesTheSameChainWithoutGapAndClosesTheOldOne() throws Exception {
    Joined joined = join();
    TicketChainVerifier chain = new TicketChainVerifier(proofs, joined.accept(), 2_000);
    for (int i = 0; i < 2; i++) {
      chain.accept(attested(joined.client().next(WAIT), PlayTicket.class), now());
    }
    try (GsTestClient second = GsTestClient.connect(gs)) {
      second.send(
          GsFixtures.resumeRequest(joined.accept().sessionId(), 1, now(), joined.sessionKey()));

      follow(chain, second, 3);

      assertThat(joined.client().closeStatus(WAIT))
          .isEqualTo(Reason.CONNECTION_REPLACED.closeCode());
      assertThat(joined.client().closeReason(WAIT)).isEqualTo(Reason.CONNECTION_REPLACED.name());
    }
  }

  @Test
  void resume_afterTheOldConnectionAdvancedTheChain_getsEveryTicketItMissed() throws Exception {
    Joined joined = join();
    SessionId session = joined.accept().sessionId();
    TicketChainVerifier chain = new TicketChainVerifier(proofs, joined.accept(), 2_000);
    chain.accept(attested(joined.client().next(WAIT), PlayTicket.class), now());
    long held = chain.chain().lastCounter();
    // The game server stops reading (its link is half-open, say) while the old connection still
    // advances the chain.
    await().atMost(WAIT).until(() -> load(session).tipCounter() >= held + 2);

    try (GsTestClient second = GsTestClient.connect(gs)) {
      second.send(GsFixtures.resumeRequest(session, 1, now(), joined.sessionKey()));

      Attested<PlayTicket> first = attested(second.next(WAIT), PlayTicket.class);
      assertThat(proofs.verify(first).counter()).isLessThanOrEqualTo(held + 1);
      skipOrAccept(chain, first);
      follow(chain, second, 3);
    } finally {
      joined.client().close();
    }
    assertThat(chain.chain().lastCounter()).isGreaterThanOrEqualTo(held + 3);
  }

  @Test
  void resume_beforeTheFirstTicket_getsTicketOneChainedToTheJoinAccept() throws Exception {
    SessionId session = SessionId.random(RANDOM);
    Ed25519KeyPair sessionKey = GsFixtures.freshKey();
    Hash joinAccept = Sha256.hash("a JoinAccept".getBytes(StandardCharsets.US_ASCII));
    sessions
        .create(
            session,
            enrolled(),
            sessionKey.publicKey(),
            GsFixtures.SOFTWARE,
            joinAccept,
            System.currentTimeMillis(),
            GsFixtures.RULES,
            "another-replica/gone")
        .await()
        .atMost(WAIT);

    try (GsTestClient client = GsTestClient.connect(gs)) {
      client.send(GsFixtures.resumeRequest(session, 1, now(), sessionKey));

      PlayTicket first = proofs.verify(attested(client.next(WAIT), PlayTicket.class));
      PlayTicket second = proofs.verify(attested(client.next(WAIT), PlayTicket.class));

      assertThat(first.counter()).isEqualTo(1);
      assertThat(first.prevTicketHash()).isEqualTo(joinAccept);
      assertThat(second.counter()).isEqualTo(2);
      assertThat(second.prevTicketHash()).isEqualTo(Hashes.statementHash(first));
    }
  }

  @Test
  void resume_unknownSession_closedWithSessionUnknown() throws Exception {
    assertRefused(
        GsFixtures.resumeRequest(SessionId.random(RANDOM), 1, now(), GsFixtures.freshKey()),
        Reason.SESSION_UNKNOWN);
  }

  @Test
  void resume_counterNotAboveTheLast_closedWithCounterNotIncreasing() throws Exception {
    Joined joined = join();
    joined.client().close();
    try (GsTestClient second = GsTestClient.connect(gs)) {
      second.send(
          GsFixtures.resumeRequest(joined.accept().sessionId(), 5, now(), joined.sessionKey()));
      attested(second.next(WAIT), PlayTicket.class);
    }
    assertRefused(
        GsFixtures.resumeRequest(joined.accept().sessionId(), 5, now(), joined.sessionKey()),
        Reason.COUNTER_NOT_INCREASING);
  }

  @Test
  void resume_countersBeyondTwoToThe53_comparedExactly() throws Exception {
    Joined joined = join();
    joined.client().close();
    SessionId session = joined.accept().sessionId();
    long big = 1L << 53;
    // As doubles, 2^53 and 2^53 + 1 are the same number.
    for (long counter : new long[] {big, big + 1}) {
      try (GsTestClient client = GsTestClient.connect(gs)) {
        client.send(GsFixtures.resumeRequest(session, counter, now(), joined.sessionKey()));
        attested(client.next(WAIT), PlayTicket.class);
      }
    }
    assertRefused(
        GsFixtures.resumeRequest(session, big + 1, now(), joined.sessionKey()),
        Reason.COUNTER_NOT_INCREASING);
    assertThat(load(session).gsCounter()).isEqualTo(big + 1);
  }

  @Test
  void resume_signedWithoutTheSessionKey_closedWithBadSignature() throws Exception {
    Joined joined = join();
    joined.client().close();
    assertRefused(
        GsFixtures.resumeRequest(joined.accept().sessionId(), 1, now(), GsFixtures.freshKey()),
        Reason.BAD_SIGNATURE);
  }

  @Test
  void resume_keptTicketsDoNotHashToTheTip_closedWithInternalErrorAndNothingSigned()
      throws Exception {
    SessionId session = SessionId.random(RANDOM);
    Ed25519KeyPair sessionKey = GsFixtures.freshKey();
    sessions
        .create(
            session,
            enrolled(),
            sessionKey.publicKey(),
            GsFixtures.SOFTWARE,
            Hash.ZERO,
            System.currentTimeMillis(),
            GsFixtures.RULES,
            "another-replica/gone")
        .await()
        .atMost(WAIT);
    // A tip whose stored fields describe another ticket than the one its hash names.
    redis
        .hash(String.class)
        .hset(
            RedisKeys.session(session),
            Map.of(
                "tcount",
                "1",
                "thash",
                Sha256.hash(new byte[] {1}).hex(),
                "kept",
                "1:1700000000000:1700000001000:" + Hash.ZERO.hex()));

    try (GsTestClient client = GsTestClient.connect(gs)) {
      client.send(GsFixtures.resumeRequest(session, 1, now(), sessionKey));

      assertThat(client.closeStatus(WAIT)).isEqualTo(Reason.INTERNAL_ERROR.closeCode());
      client.assertNoFrameWithin(Duration.ZERO);
    }
  }

  // ---- revocation -------------------------------------------------------------------------

  @Test
  void gameServerRevoked_boundServer_getsTheSignedRevokeAndIsClosed() throws Exception {
    Joined joined = join();
    SessionId session = joined.accept().sessionId();
    try (GsTestClient client = joined.client()) {
      attested(client.next(WAIT), PlayTicket.class);
      revocations.fireAsync(
          new GameServerRevoked(joined.accept().gsId(), Reason.ENROLLMENT_REVOKED));

      Revoke revoke = nextRevoke(client);

      assertThat(revoke.sessionId()).isEqualTo(session);
      assertThat(revoke.reason()).contains(Reason.ENROLLMENT_REVOKED);
      // The stored decision, so every round and replica signs the same Revoke.
      assertThat(revoke.revokedAtMs()).isEqualTo(load(session).revokedAtMs());
      assertThat(client.closeStatus(WAIT)).isEqualTo(Reason.ENROLLMENT_REVOKED.closeCode());
      assertThat(client.closeReason(WAIT)).isEqualTo(Reason.ENROLLMENT_REVOKED.name());
    }
    assertRefused(
        GsFixtures.resumeRequest(session, 1, now(), joined.sessionKey()), Reason.SESSION_REVOKED);
  }

  @Test
  void gameServerRevoked_withoutEventAndIndexExpired_theSyncRevokesItsSession() throws Exception {
    Joined joined = join();
    GsId id = joined.accept().gsId();
    try (GsTestClient client = joined.client()) {
      attested(client.next(WAIT), PlayTicket.class);
      redis.key().del(RedisKeys.sessionIndex(id));
      // Committed in PostgreSQL, but no event reaches this replica (a crash after the commit).
      fixtures.revokeEnrollment(id);

      Revoke revoke = nextRevoke(client);

      assertThat(revoke.sessionId()).isEqualTo(joined.accept().sessionId());
      assertThat(revoke.reason()).contains(Reason.ENROLLMENT_REVOKED);
      assertThat(revoke.revokedAtMs()).isEqualTo(fixtures.revokedAtMs(id));
      assertThat(client.closeStatus(WAIT)).isEqualTo(Reason.ENROLLMENT_REVOKED.closeCode());
    }
  }

  @Test
  void gameServerRevoked_markerUnreadable_nothingIssuedUntilRedisIsRepaired() throws Exception {
    Joined joined = join();
    GsId id = joined.accept().gsId();
    String marker = RedisKeys.gameServerRevoked(id);
    try (GsTestClient client = joined.client()) {
      attested(client.next(WAIT), PlayTicket.class);
      redis.hash(String.class).hset(marker, "broken", "wrong type");
      fixtures.revokeEnrollment(id);
      drain(client, Duration.ofMillis(600));

      // Fail closed: no round can read the marker, so none issues anything.
      client.assertNoFrameWithin(Duration.ofSeconds(2));

      redis.key().del(marker);
      Revoke revoke = nextRevoke(client);
      assertThat(revoke.reason()).contains(Reason.ENROLLMENT_REVOKED);
      assertThat(client.closeStatus(WAIT)).isEqualTo(Reason.ENROLLMENT_REVOKED.closeCode());
    } finally {
      redis.key().del(marker);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** Accepts {@code count} new links from {@code client}; re-sent older tickets are skipped. */
  private void follow(TicketChainVerifier chain, GsTestClient client, int count) throws Exception {
    long target = chain.chain().lastCounter() + count;
    while (chain.chain().lastCounter() < target) {
      skipOrAccept(chain, attested(client.next(WAIT), PlayTicket.class));
    }
  }

  /**
   * What a game server does with the tickets a resume sends again: a genuine ticket at or below the
   * counter it holds is skipped (the one it holds must be identical), the rest are links.
   */
  private void skipOrAccept(TicketChainVerifier chain, Attested<PlayTicket> ticket)
      throws Rejection {
    PlayTicket t = proofs.verify(ticket);
    if (t.counter() <= chain.chain().lastCounter()) {
      if (t.counter() == chain.chain().lastCounter()) {
        assertThat(t).isEqualTo(chain.latest().orElseThrow());
      }
      return;
    }
    chain.accept(ticket, now());
  }

  private Revoke nextRevoke(GsTestClient client) throws Exception {
    Frame frame = client.next(WAIT);
    while (frame instanceof Attested<?> a && a.statement() instanceof PlayTicket) {
      frame = client.next(WAIT);
    }
    return proofs.verify(attested(frame, Revoke.class));
  }

  /** Discards what arrives within {@code quiet} of the last frame. */
  private static void drain(GsTestClient client, Duration quiet) throws Exception {
    while (true) {
      try {
        client.assertNoFrameWithin(quiet);
        return;
      } catch (AssertionError arrived) {
        // a ticket that was on its way: keep draining
      }
    }
  }

  private List<SessionId> sessionsOf(GsId id) {
    return sessions.sessionsOf(id).await().atMost(WAIT);
  }

  private LiveSession load(SessionId id) {
    return sessions.load(id).await().atMost(WAIT).orElseThrow();
  }

  /** Holds the game server's row as a revocation would, until {@code lock} ends its transaction. */
  private static void lockGameServer(Connection lock, GsId id) throws SQLException {
    lock.setAutoCommit(false);
    try (PreparedStatement select =
        lock.prepareStatement("SELECT id FROM game_servers WHERE id = ? FOR UPDATE")) {
      select.setString(1, id.value());
      select.executeQuery().close();
    }
  }

  private boolean admissionWaitsForLock() throws SQLException {
    try (Connection c = db.getConnection();
        ResultSet r =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND wait_event_type = 'Lock' AND query ILIKE '%for share%'")) {
      r.next();
      return r.getLong(1) > 0;
    }
  }

  private double rejections(Reason reason) {
    return registry.get("mmo.vs.gs.rejections").tag("reason", reason.name()).counter().count();
  }

  private byte[] joinFrame(GsId id) {
    return GsFixtures.joinRequest(id, keyOf(id), GsFixtures.freshKey(), GsFixtures.SOFTWARE, now());
  }

  private void assertRefused(byte[] frame, Reason reason) throws Exception {
    try (GsTestClient client = GsTestClient.connect(gs)) {
      client.send(frame);
      assertThat(client.closeStatus(WAIT)).as("close status").isEqualTo(reason.closeCode());
      assertThat(client.closeReason(WAIT)).as("close reason").isEqualTo(reason.name());
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
