package dev.mmo.vs.audit;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.crypto.SigningException;
import dev.mmo.protocol.testing.TestKeys;
import dev.mmo.protocol.trust.BatchSealer;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.SessionId;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Sessions to hang audit records on, and the records themselves, signed by the test VS key. */
final class AuditFixtures {
  static final GsId GS = new GsId("gs-audit");
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  private AuditFixtures() {}

  /** An ACTIVE session of {@link #GS}, recorded in PostgreSQL as the join path would. */
  static SessionId newSession(Pool pool) {
    SessionId id = SessionId.random(RANDOM);
    pool.preparedQuery(
            "INSERT INTO game_servers (id, public_key, status, enrolled_at)"
                + " VALUES ($1, $2, 'ACTIVE', $3) ON CONFLICT (id) DO NOTHING")
        .execute(Tuple.of(GS.value(), Buffer.buffer(new byte[32]), OffsetDateTime.now()))
        .await()
        .atMost(WAIT);
    pool.preparedQuery(
            "INSERT INTO sessions (id, gs_id, session_key, sw_hash, join_accept, status, created_at)"
                + " VALUES ($1, $2, $3, $4, $5, 'ACTIVE', $6)")
        .execute(
            Tuple.from(
                List.of(
                    Buffer.buffer(id.bytes().toByteArray()),
                    GS.value(),
                    Buffer.buffer(new byte[32]),
                    Buffer.buffer(new byte[32]),
                    Buffer.buffer(new byte[] {1}),
                    OffsetDateTime.now())))
        .await()
        .atMost(WAIT);
    return id;
  }

  /** A receipt for {@code counter} of {@code session}, attested by a batch of one. */
  static Attested<ProtectedReceipt> receipt(SessionId session, long counter) {
    byte[] seed = ByteBuffer.allocate(Long.BYTES).putLong(counter).array();
    ProtectedReceipt statement =
        new ProtectedReceipt(session, counter, Sha256.hash(seed), Sha256.hash(seed), 1_000);
    try {
      return BatchSealer.seal(List.of(statement), 0, Hash.ZERO, 1_000, TestKeys.VS_ROOT)
          .attest(statement, 0);
    } catch (SigningException e) {
      throw new IllegalStateException("the software test key failed to sign", e);
    }
  }

  /** The signed TranscriptDigest frame a receipt stands for; its content does not matter here. */
  static byte[] digestFrame(long counter) {
    return ByteBuffer.allocate(9).put((byte) 7).putLong(counter).array();
  }

  static RevocationRecord revocation(SessionId session, int reasonCode) {
    return new RevocationRecord(
        UUID.randomUUID(),
        session,
        GS,
        reasonCode,
        Map.of("distance", 1234, "digests", List.of("a", "b")),
        Instant.now());
  }
}
