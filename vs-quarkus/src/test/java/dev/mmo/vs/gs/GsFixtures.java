package dev.mmo.vs.gs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.JoinNonce;
import dev.mmo.protocol.wire.JoinRequest;
import dev.mmo.protocol.wire.ResumeRequest;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.VsStatement;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Enrolled game servers and their requests, for the /gs tests. */
final class GsFixtures {
  static final Hash SOFTWARE =
      Sha256.hash("mmo test game server 1.0".getBytes(StandardCharsets.US_ASCII));

  /** The rules of the test profile (application.properties defaults). */
  static final GameRules RULES =
      new GameRules(20, 5000, new Bounds(-100000, -100000, 100000, 100000));

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;

  GsFixtures(Pool pool) {
    this.pool = pool;
  }

  /** A new game server id nobody else uses, so tests never share rate limits or sessions. */
  static GsId freshId() {
    return new GsId("gs-" + UUID.randomUUID().toString().substring(0, 13));
  }

  static Ed25519KeyPair freshKey() {
    return Ed25519KeyPair.generate(RANDOM);
  }

  /** Enrolls {@code id} with {@code key}, allowed to run {@link #SOFTWARE}. */
  GsId enroll(GsId id, Ed25519KeyPair key) {
    pool.preparedQuery(
            "INSERT INTO game_servers (id, public_key, status, enrolled_at) VALUES ($1, $2, 'ACTIVE', $3)")
        .execute(
            Tuple.of(
                id.value(),
                Buffer.buffer(key.publicKey().bytes().toByteArray()),
                OffsetDateTime.now()))
        .await()
        .indefinitely();
    pool.preparedQuery(
            "INSERT INTO allowed_software (gs_id, sw_hash, added_at) VALUES ($1, $2, $3)")
        .execute(Tuple.of(id.value(), Buffer.buffer(SOFTWARE.toByteArray()), OffsetDateTime.now()))
        .await()
        .indefinitely();
    return id;
  }

  void revokeEnrollment(GsId id) {
    pool.preparedQuery(
            "UPDATE game_servers SET status = 'REVOKED', revoked_at = $2, revoke_reason = 'test' WHERE id = $1")
        .execute(Tuple.of(id.value(), OffsetDateTime.now()))
        .await()
        .indefinitely();
  }

  /** When PostgreSQL says {@code id} was revoked, in ms (the column keeps microseconds). */
  long revokedAtMs(GsId id) {
    return pool.preparedQuery("SELECT revoked_at FROM game_servers WHERE id = $1")
        .execute(Tuple.of(id.value()))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getOffsetDateTime(0)
        .toInstant()
        .toEpochMilli();
  }

  /** How many sessions of {@code id} PostgreSQL records, whatever their status. */
  long sessionRows(GsId id) {
    return count("SELECT count(*) FROM sessions WHERE gs_id = $1", Tuple.of(id.value()));
  }

  /** How many refused joins of {@code id} PostgreSQL records, whatever their reason. */
  long joinRejections(GsId id) {
    return count("SELECT count(*) FROM join_rejections WHERE gs_id = $1", Tuple.of(id.value()));
  }

  private long count(String sql, Tuple args) {
    return pool.preparedQuery(sql)
        .execute(args)
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getLong(0);
  }

  long joinRejections(GsId id, int reasonCode) {
    return pool.preparedQuery(
            "SELECT count(*) FROM join_rejections WHERE gs_id = $1 AND reason_code = $2")
        .execute(Tuple.of(id.value(), reasonCode))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getLong(0);
  }

  static byte[] joinRequest(
      GsId id, Ed25519KeyPair key, Ed25519KeyPair sessionKey, Hash software, long timeMs) {
    JoinRequest body =
        new JoinRequest(
            id, sessionKey.publicKey(), software, timeMs, new JoinNonce(Bytes.random(RANDOM, 16)));
    return Codec.encode(Signed.sign(body, key));
  }

  static byte[] resumeRequest(
      SessionId session, long gsCounter, long timeMs, Ed25519KeyPair sessionKey) {
    return Codec.encode(Signed.sign(new ResumeRequest(session, gsCounter, timeMs), sessionKey));
  }

  /** {@code frame} as a VS statement of {@code type}, failing the test when it is anything else. */
  @SuppressWarnings("unchecked")
  static <S extends VsStatement> Attested<S> attested(Frame frame, Class<S> type) {
    assertThat(frame).isInstanceOf(Attested.class);
    assertThat(((Attested<?>) frame).statement()).isInstanceOf(type);
    return (Attested<S>) frame;
  }

  /**
   * A freshly enrolled game server joined over {@code endpoint}, its JoinAccept read. As a game
   * server does, it joins again when the VS refuses with SERVICE_UNAVAILABLE: just after a start
   * the first batch can find the audit channel still connecting.
   */
  static GsTestClient joinedBystander(
      io.vertx.mutiny.sqlclient.Pool pool, java.net.URI endpoint, java.time.Duration wait)
      throws Exception {
    GsFixtures fixtures = new GsFixtures(pool);
    var key = freshKey();
    var id = fixtures.enroll(freshId(), key);
    for (int attempt = 1; ; attempt++) {
      GsTestClient client = GsTestClient.connect(endpoint);
      client.send(joinRequest(id, key, freshKey(), SOFTWARE, System.currentTimeMillis()));
      try {
        client.next(wait);
        return client;
      } catch (AssertionError refused) {
        client.close();
        if (attempt == 3 || !String.valueOf(refused.getMessage()).contains("4057")) {
          throw refused;
        }
        Thread.sleep(1_000);
      }
    }
  }
}
