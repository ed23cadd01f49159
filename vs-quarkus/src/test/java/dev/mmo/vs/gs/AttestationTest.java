package dev.mmo.vs.gs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.Heartbeat;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import dev.mmo.vs.hsm.HsmSigner;
import dev.mmo.vs.redis.RedisKeys;
import io.agroal.api.AgroalDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats, digests, receipts and the revocations they cause (docs/protocol.md section 9), over
 * the real /gs endpoint with real Redis, PostgreSQL, RabbitMQ and the SoftHSM token.
 */
@QuarkusTest
@TestProfile(AttestationTest.ShortSilence.class)
class AttestationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The test rules: 20 ticks/s, 5,000 units/s, so one tick moves at most 250 units. */
  private static final int STEP = 250;

  /** A short silence allowance, so that the silence test is quick. */
  public static class ShortSilence implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "mmo.vs.session.heartbeat-interval", "500ms",
          "mmo.vs.attest.max-silence", "2s",
          "mmo.vs.attest.silence-sweep-interval", "200ms");
    }
  }

  @TestHTTPResource("/gs")
  URI http;

  @Inject Pool pool;
  @Inject AgroalDataSource db;
  @Inject HsmSigner hsm;

  private GsFixtures fixtures;
  private VsProofVerifier proofs;
  private URI gs;

  /** Set once the sessions earlier test classes left in Redis are off the silence watch. */
  private static boolean watchCleared;

  @Inject RedisDataSource redis;

  @BeforeEach
  void setUp() {
    if (!watchCleared) {
      // Sessions of earlier test classes send no heartbeats: they are not this test's business.
      redis.key(String.class).del(RedisKeys.silenceWatch());
      watchCleared = true;
    }
    fixtures = new GsFixtures(pool);
    proofs = new VsProofVerifier(TrustAnchors.of(hsm.publicKey()));
    gs = URI.create(http.toString().replaceFirst("^http", "ws"));
  }

  /** A joined game server: its socket, session key and verified JoinAccept. */
  private record Joined(GsTestClient client, Ed25519KeyPair sessionKey, JoinAccept accept) {
    byte[] heartbeat(long counter) {
      return heartbeat(counter, GsFixtures.SOFTWARE, System.currentTimeMillis(), sessionKey);
    }

    byte[] heartbeat(long counter, Hash software, long gsTimeMs, Ed25519KeyPair key) {
      return Codec.encode(
          Signed.sign(
              new Heartbeat(accept.sessionId(), counter, gsTimeMs, Hash.ZERO, software), key));
    }

    byte[] digest(long counter, long tick, PlayerPosition... positions) {
      return Codec.encode(
          Signed.sign(
              new TranscriptDigest(
                  accept.sessionId(),
                  counter,
                  tick,
                  System.currentTimeMillis(),
                  Sha256.hash(("tip " + counter).getBytes(StandardCharsets.US_ASCII)),
                  sorted(positions)),
              sessionKey));
    }
  }

  private Joined join() throws Exception {
    Ed25519KeyPair key = GsFixtures.freshKey();
    GsId id = fixtures.enroll(GsFixtures.freshId(), key);
    Ed25519KeyPair sessionKey = GsFixtures.freshKey();
    GsTestClient client = GsTestClient.connect(gs);
    client.send(
        GsFixtures.joinRequest(
            id, key, sessionKey, GsFixtures.SOFTWARE, System.currentTimeMillis()));
    Frame first = client.next(WAIT);
    assertThat(first).isInstanceOf(Attested.class);
    @SuppressWarnings("unchecked")
    JoinAccept accept = proofs.verify((Attested<JoinAccept>) first);
    return new Joined(client, sessionKey, accept);
  }

  // ---- heartbeats -------------------------------------------------------------------------

  @Test
  void heartbeats_increasingAndSigned_keepTheSessionAliveBeyondTheSilenceAllowance()
      throws Exception {
    Joined joined = join();
    try (GsTestClient client = joined.client()) {
      long end = System.currentTimeMillis() + 3_500;
      for (long counter = 1; System.currentTimeMillis() < end; counter++) {
        client.send(joined.heartbeat(counter));
        Thread.sleep(300);
      }
      // Still blessed: tickets keep coming, and nothing was revoked.
      assertThat(nextNonTicket(client, Duration.ofMillis(800))).isNull();
      assertThat(revocations(joined)).isEmpty();
    }
  }

  @Test
  void heartbeat_badSignature_revokesWithBadSignature() throws Exception {
    Joined joined = join();
    byte[] forged =
        joined.heartbeat(1, GsFixtures.SOFTWARE, System.currentTimeMillis(), GsFixtures.freshKey());
    assertRevokedAfter(joined, forged, Reason.BAD_SIGNATURE);
  }

  @Test
  void heartbeat_counterEqual_revokesWithCounterNotIncreasing() throws Exception {
    Joined joined = join();
    joined.client().send(joined.heartbeat(5));
    assertRevokedAfter(joined, joined.heartbeat(5), Reason.COUNTER_NOT_INCREASING);
  }

  @Test
  void heartbeat_counterLower_revokesWithCounterNotIncreasing() throws Exception {
    Joined joined = join();
    joined.client().send(joined.heartbeat(5));
    assertRevokedAfter(joined, joined.heartbeat(4), Reason.COUNTER_NOT_INCREASING);
  }

  @Test
  void heartbeat_softwareChanged_revokesWithSwHashMismatch() throws Exception {
    Joined joined = join();
    Hash other = Sha256.hash("patched build".getBytes(StandardCharsets.US_ASCII));
    byte[] frame = joined.heartbeat(1, other, System.currentTimeMillis(), joined.sessionKey());
    Map<String, Object> evidence = assertRevokedAfter(joined, frame, Reason.SW_HASH_MISMATCH);
    assertThat(evidence).containsEntry("sw_hash", other.hex());
  }

  @Test
  void heartbeat_clockAMinuteOff_revokesWithClockSkew() throws Exception {
    Joined joined = join();
    byte[] frame =
        joined.heartbeat(
            1, GsFixtures.SOFTWARE, System.currentTimeMillis() - 60_000, joined.sessionKey());
    assertRevokedAfter(joined, frame, Reason.CLOCK_SKEW);
  }

  @Test
  void heartbeat_undecodable_closesTheConnectionAndRevokesNothing() throws Exception {
    // docs/protocol.md section 9: a frame that does not decode carries no valid signature, so a
    // stranger could send it under any session's id; it only closes the connection it came on.
    Joined joined = join();
    try (GsTestClient client = joined.client()) {
      byte[] frame = joined.heartbeat(1);
      client.send(Arrays.copyOf(frame, frame.length - 1));
      assertThat(client.closeStatus(WAIT)).isEqualTo(Reason.TRUNCATED.closeCode());
    }
    assertThat(revocations(joined)).isEmpty();
    assertThat(sessionStatus(joined)).isEqualTo("ACTIVE");
  }

  @Test
  void silence_noHeartbeatForTheAllowance_revokesWithMissedHeartbeats() throws Exception {
    Joined joined = join();
    // The connection stays open and answers pings; only heartbeats are missing.
    Attested<Revoke> revoke = nextRevoke(joined.client(), Duration.ofSeconds(15));
    assertThat(revoke.statement().reasonCode()).isEqualTo(Reason.MISSED_HEARTBEATS.code());
    assertThat(joined.client().closeStatus(WAIT))
        .isEqualTo(Reason.CLOSE_CODE_BASE + Reason.MISSED_HEARTBEATS.code());
    await().atMost(WAIT).until(() -> !revocations(joined).isEmpty());
    assertThat(revocations(joined).get(0).reasonCode()).isEqualTo(Reason.MISSED_HEARTBEATS.code());
  }

  @Test
  void silence_afterHeartbeats_revokedOnceTheAllowanceHasPassedSinceTheLast() throws Exception {
    Joined joined = join();
    GsTestClient client = joined.client();
    // Heartbeats for longer than the allowance (2 s): the connection puts the session on the
    // silence watch again only every half allowance, not with every heartbeat.
    long last = 0;
    long end = System.currentTimeMillis() + 3_000;
    for (long counter = 1; System.currentTimeMillis() < end; counter++) {
      client.send(joined.heartbeat(counter));
      last = System.currentTimeMillis();
      Thread.sleep(300);
    }
    Attested<Revoke> revoke = nextRevoke(client, Duration.ofSeconds(15));
    long silentFor = System.currentTimeMillis() - last;
    assertThat(revoke.statement().reasonCode()).isEqualTo(Reason.MISSED_HEARTBEATS.code());
    // Never before the allowance since the last heartbeat; found by the sweep soon after it.
    assertThat(silentFor).isGreaterThanOrEqualTo(2_000).isLessThan(6_000);
  }

  // ---- digests and receipts ---------------------------------------------------------------

  @Test
  void digests_legalMovementAtTheLimit_notarizedWithReceiptsThenATeleportRevokes()
      throws Exception {
    Joined joined = join();
    Ed25519KeyPair player = GsFixtures.freshKey();
    GsTestClient client = joined.client();

    byte[] first = joined.digest(1, 2, at(player, 0, 0));
    client.send(first);
    ProtectedReceipt r1 = nextReceipt(client);
    assertThat(r1.sessionId()).isEqualTo(joined.accept().sessionId());
    assertThat(r1.gsCounter()).isEqualTo(1);
    assertThat(r1.digestHash()).isEqualTo(Hashes.frameHash(first));

    // Exactly the limit: 2 ticks, 500 units (300, 400).
    byte[] second = joined.digest(2, 4, at(player, 300, 400));
    client.send(second);
    ProtectedReceipt r2 = nextReceipt(client);
    assertThat(r2.gsCounter()).isEqualTo(2);
    // Released once the broker confirmed its record; the audit writer commits it shortly after.
    await().atMost(WAIT).until(() -> receiptCount(joined) == 2);

    // One unit beyond the limit: 2 ticks, 501 units.
    byte[] teleport = joined.digest(3, 6, at(player, 300, 901));
    Map<String, Object> evidence = assertRevokedAfter(joined, teleport, Reason.SPEED_VIOLATION);
    assertThat(evidence)
        .containsEntry("check", "speed")
        .containsEntry("distance_squared", "251001")
        .containsEntry("allowed_distance_squared", "250000");
    assertThat(evidence.get("from").toString()).contains("\"x\":300", "\"y\":400", "\"tick\":4");
    assertThat(evidence.get("to").toString()).contains("\"x\":300", "\"y\":901", "\"tick\":6");
    assertThat(receiptCount(joined)).isEqualTo(2);
  }

  @Test
  void digest_playerLeftOutThenBack_checkedAgainstItsLastNotarizedPosition() throws Exception {
    Joined joined = join();
    Ed25519KeyPair player = GsFixtures.freshKey();
    Ed25519KeyPair other = GsFixtures.freshKey();
    GsTestClient client = joined.client();
    client.send(joined.digest(1, 1, at(player, 0, 0), at(other, 5, 5)));
    nextReceipt(client);
    client.send(joined.digest(2, 2, at(other, 5, 5)));
    nextReceipt(client);
    // Two ticks since the player's last notarized position: 500 units allowed, 600 claimed.
    assertRevokedAfter(joined, joined.digest(3, 3, at(player, 600, 0)), Reason.SPEED_VIOLATION);
  }

  @Test
  void digest_afterAResume_isCheckedAgainstThePositionNotarizedOnTheOldConnection()
      throws Exception {
    Joined joined = join();
    Ed25519KeyPair player = GsFixtures.freshKey();
    joined.client().send(joined.digest(1, 1, at(player, 0, 0)));
    nextReceipt(joined.client());
    joined.client().close();

    // The new connection keeps nothing yet: it reads the baseline and the position from Redis.
    GsTestClient resumed = GsTestClient.connect(gs);
    resumed.send(
        GsFixtures.resumeRequest(
            joined.accept().sessionId(), 2, System.currentTimeMillis(), joined.sessionKey()));
    // Bound once the kept tickets come again; a frame before that would be refused.
    Frame ticket = resumed.next(WAIT);
    assertThat(ticket).isInstanceOf(Attested.class);
    assertThat(((Attested<?>) ticket).statement()).isInstanceOf(PlayTicket.class);
    Joined again = new Joined(resumed, joined.sessionKey(), joined.accept());
    // One tick since the position notarized before the resume: 250 units allowed, 600 claimed.
    assertRevokedAfter(again, again.digest(3, 2, at(player, 600, 0)), Reason.SPEED_VIOLATION);
  }

  @Test
  void digest_positionsKeptByTheConnection_teleportCaughtThoughRedisLostThem() throws Exception {
    Joined joined = join();
    Ed25519KeyPair player = GsFixtures.freshKey();
    GsTestClient client = joined.client();
    client.send(joined.digest(1, 1, at(player, 0, 0)));
    nextReceipt(client);
    // Redis loses the notarized positions. Read back, the player would look new, with nothing to
    // check its move against; the connection kept the position it notarized and checks it.
    redis.key(String.class).del(RedisKeys.sessionPlayers(joined.accept().sessionId()));
    assertRevokedAfter(joined, joined.digest(2, 2, at(player, 600, 0)), Reason.SPEED_VIOLATION);
  }

  @Test
  void digest_stateWrittenBeforeTheSessionStartField_isNotarized() throws Exception {
    Joined joined = join();
    redis.hash(String.class).hdel(RedisKeys.session(joined.accept().sessionId()), "start");
    GsTestClient client = joined.client();
    client.send(joined.digest(1, 1, at(GsFixtures.freshKey(), 0, 0)));
    assertThat(nextReceipt(client).gsCounter()).isEqualTo(1);
  }

  @Test
  void digest_outsideTheWorld_revokesWithBoundsViolation() throws Exception {
    Joined joined = join();
    assertRevokedAfter(
        joined,
        joined.digest(1, 1, at(GsFixtures.freshKey(), 100_001, 0)),
        Reason.BOUNDS_VIOLATION);
  }

  @Test
  void digest_moreTicksThanTimePassed_revokesWithClockSkew() throws Exception {
    Joined joined = join();
    // 20 ticks/s: a thousand ticks cannot have passed since the join.
    Map<String, Object> evidence =
        assertRevokedAfter(
            joined, joined.digest(1, 1_000, at(GsFixtures.freshKey(), 0, 0)), Reason.CLOCK_SKEW);
    assertThat(evidence).containsEntry("check", "session_clock").containsEntry("tick", "1000");
  }

  @Test
  void digest_counterNotAboveTheLastHeartbeat_revokes() throws Exception {
    Joined joined = join();
    joined.client().send(joined.heartbeat(7));
    assertRevokedAfter(
        joined,
        joined.digest(7, 1, at(GsFixtures.freshKey(), 0, 0)),
        Reason.COUNTER_NOT_INCREASING);
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** Positions in the order a digest carries them: by player key. */
  private static List<PlayerPosition> sorted(PlayerPosition... positions) {
    return java.util.Arrays.stream(positions)
        .sorted(java.util.Comparator.comparing(PlayerPosition::player))
        .toList();
  }

  private static PlayerPosition at(Ed25519KeyPair player, int x, int y) {
    return new PlayerPosition(player.publicKey(), new Vec2(x, y));
  }

  /**
   * Sends {@code frame}, expects the signed Revoke with {@code reason} and the close, and returns
   * the evidence the audit trail recorded.
   */
  private Map<String, Object> assertRevokedAfter(Joined joined, byte[] frame, Reason reason)
      throws Exception {
    try (GsTestClient client = joined.client()) {
      client.send(frame);
      Attested<Revoke> revoke = nextRevoke(client, WAIT);
      assertThat(revoke.statement().sessionId()).isEqualTo(joined.accept().sessionId());
      assertThat(revoke.statement().reasonCode()).isEqualTo(reason.code());
      assertThat(client.closeStatus(WAIT)).isEqualTo(Reason.CLOSE_CODE_BASE + reason.code());
    }
    await().atMost(WAIT).until(() -> !revocations(joined).isEmpty());
    List<Row> rows = revocations(joined);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).reasonCode()).isEqualTo(reason.code());
    assertThat(sessionStatus(joined)).isEqualTo("REVOKED");
    Map<String, Object> evidence = Json.read(rows.get(0).evidence());
    assertThat(evidence).containsKey("frame");
    return evidence;
  }

  private Attested<Revoke> nextRevoke(GsTestClient client, Duration timeout) throws Exception {
    Frame frame = nextNonTicket(client, timeout);
    assertThat(frame).as("a Revoke").isInstanceOf(Attested.class);
    Attested<?> attested = (Attested<?>) frame;
    assertThat(attested.statement()).isInstanceOf(Revoke.class);
    @SuppressWarnings("unchecked")
    Attested<Revoke> revoke = (Attested<Revoke>) attested;
    proofs.verify(revoke);
    return revoke;
  }

  private ProtectedReceipt nextReceipt(GsTestClient client) throws Exception {
    Frame frame = nextNonTicket(client, WAIT);
    assertThat(frame).as("a receipt").isInstanceOf(Attested.class);
    Attested<?> attested = (Attested<?>) frame;
    assertThat(attested.statement()).isInstanceOf(ProtectedReceipt.class);
    @SuppressWarnings("unchecked")
    Attested<ProtectedReceipt> receipt = (Attested<ProtectedReceipt>) attested;
    return proofs.verify(receipt);
  }

  /** The next frame that is not a ticket, or null when none comes within {@code timeout}. */
  private static Frame nextNonTicket(GsTestClient client, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      Frame frame;
      try {
        frame = client.next(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
      } catch (AssertionError none) {
        return null;
      }
      if (!(frame instanceof Attested<?> a && a.statement() instanceof PlayTicket)) {
        return frame;
      }
    }
    return null;
  }

  private record Row(int reasonCode, String evidence) {}

  private List<Row> revocations(Joined joined) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT reason_code, evidence::text FROM revocations WHERE session_id = ?")) {
      s.setBytes(1, joined.accept().sessionId().bytes().toByteArray());
      List<Row> rows = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          rows.add(new Row(r.getInt(1), r.getString(2)));
        }
      }
      return rows;
    }
  }

  private String sessionStatus(Joined joined) throws SQLException {
    return single("SELECT status FROM sessions WHERE id = ?", joined);
  }

  private long receiptCount(Joined joined) throws SQLException {
    return Long.parseLong(
        single("SELECT count(*)::text FROM receipts WHERE session_id = ?", joined));
  }

  private String single(String sql, Joined joined) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setBytes(1, joined.accept().sessionId().bytes().toByteArray());
      try (ResultSet r = s.executeQuery()) {
        assertThat(r.next()).isTrue();
        return r.getString(1);
      }
    }
  }

  /** Evidence JSON as a map, nested objects as their JSON text. */
  private static final class Json {
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
        new com.fasterxml.jackson.databind.ObjectMapper();

    static Map<String, Object> read(String json) throws Exception {
      com.fasterxml.jackson.databind.JsonNode node = MAPPER.readTree(json);
      Map<String, Object> map = new java.util.LinkedHashMap<>();
      node.fields()
          .forEachRemaining(
              e ->
                  map.put(
                      e.getKey(),
                      e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
      return map;
    }
  }
}
