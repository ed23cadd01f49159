package dev.mmo.vs.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.wire.SessionId;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit pipeline against the real broker and PostgreSQL: every record published is written
 * exactly once, however often it is delivered; what cannot be written goes to the dead-letter queue
 * without holding up the records behind it.
 */
@QuarkusTest
class AuditPipelineTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject AuditLog audit;
  @Inject AuditBrokerHealth broker;
  @Inject Pool pool;
  @Inject Vertx vertx;
  @Inject MeterRegistry registry;
  // Gauges are read from their beans: a test JVM runs several VSs one after the other, and here a
  // gauge registered again by a later VS was seen to go on reading an earlier VS's value.
  @Inject AuditQueueDepth depth;

  @ConfigProperty(name = "rabbitmq-port")
  int rabbitPort;

  private AuditQueues queues;

  @BeforeEach
  void connect() {
    await().atMost(WAIT).until(broker::isUp);
    queues = AuditQueues.connect(vertx, rabbitPort);
    queues.drainDeadLetters();
  }

  @AfterEach
  void disconnect() {
    queues.close();
  }

  @Test
  void receiptsAndRevocations_eachPublishedTwice_writtenOnce() {
    SessionId session = AuditFixtures.newSession(pool);
    SessionId revoked = AuditFixtures.newSession(pool);
    RevocationRecord revocation = AuditFixtures.revocation(revoked, Reason.SPEED_VIOLATION.code());
    double writtenBefore = counter("mmo.vs.audit.written");
    List<Uni<Void>> published = new ArrayList<>();
    int receipts = 40;
    for (int round = 0; round < 2; round++) {
      for (long counter = 1; counter <= receipts; counter++) {
        published.add(
            audit.receipt(
                AuditFixtures.receipt(session, counter), AuditFixtures.digestFrame(counter)));
      }
      published.add(audit.revocation(revocation));
    }
    Uni.join().all(published).andFailFast().await().atMost(WAIT);

    // Every delivery, duplicates included, has been through a committed batch...
    await()
        .atMost(WAIT)
        .until(() -> counter("mmo.vs.audit.written") - writtenBefore >= 2 * (receipts + 1));
    // ...and each record is there once.
    assertThat(count("SELECT count(*) FROM receipts WHERE session_id = $1", session))
        .isEqualTo(receipts);
    assertThat(
            count("SELECT count(DISTINCT gs_counter) FROM receipts WHERE session_id = $1", session))
        .isEqualTo(receipts);
    var digest =
        pool.preparedQuery("SELECT digest FROM receipts WHERE session_id = $1 AND gs_counter = 7")
            .execute(Tuple.of(Buffer.buffer(session.bytes().toByteArray())))
            .await()
            .atMost(WAIT)
            .iterator()
            .next()
            .getBuffer("digest")
            .getBytes();
    assertThat(digest).isEqualTo(AuditFixtures.digestFrame(7));
    assertThat(
            count("SELECT count(*) FROM revocations WHERE record_id = $1", revocation.recordId()))
        .isEqualTo(1);
    var ended =
        pool.preparedQuery(
                "SELECT s.status, s.end_reason, r.evidence::text AS evidence FROM sessions s"
                    + " JOIN revocations r ON r.session_id = s.id WHERE s.id = $1")
            .execute(Tuple.of(Buffer.buffer(revoked.bytes().toByteArray())))
            .await()
            .atMost(WAIT)
            .iterator()
            .next();
    assertThat(ended.getString("status")).isEqualTo("REVOKED");
    assertThat(ended.getInteger("end_reason")).isEqualTo(Reason.SPEED_VIOLATION.code());
    assertThat(ended.getString("evidence")).contains("\"distance\": 1234");
  }

  @Test
  void poisonMessage_deadLettered_recordsBehindItWritten() {
    double malformedBefore = deadLettered("malformed");
    byte[] poison =
        ("{\"v\":1,\"type\":\"receipt\",\"poison\":\"" + UUID.randomUUID() + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    SessionId session = AuditFixtures.newSession(pool);

    queues.publishRaw(poison);
    audit
        .receipt(AuditFixtures.receipt(session, 1), AuditFixtures.digestFrame(1))
        .await()
        .atMost(WAIT);

    await()
        .atMost(WAIT)
        .until(() -> count("SELECT count(*) FROM receipts WHERE session_id = $1", session) == 1);
    // The broker's own count shows it (the operator's alert), before anything takes it off.
    await().atMost(WAIT).until(() -> depth.deadLetters() >= 1);
    List<AuditQueues.DeadLetter> dead = new ArrayList<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              dead.addAll(queues.drainDeadLetters());
              return dead.stream().anyMatch(d -> Arrays.equals(d.body(), poison));
            });
    assertThat(deadLettered("malformed")).isGreaterThan(malformedBefore);
  }

  @Test
  void recordPostgresRefusesForGood_deadLettered_restOfItsBatchWritten() {
    SessionId session = AuditFixtures.newSession(pool);
    // A receipt of a session PostgreSQL has never heard of breaks the foreign key, forever.
    SessionId unknown = SessionId.random(new java.security.SecureRandom());
    double refusedBefore = deadLettered("refused");
    List<Uni<Void>> published = new ArrayList<>();
    for (long counter = 1; counter <= 5; counter++) {
      published.add(
          audit.receipt(
              AuditFixtures.receipt(session, counter), AuditFixtures.digestFrame(counter)));
    }
    published.add(audit.receipt(AuditFixtures.receipt(unknown, 1), AuditFixtures.digestFrame(1)));
    Uni.join().all(published).andFailFast().await().atMost(WAIT);

    await()
        .atMost(WAIT)
        .until(() -> count("SELECT count(*) FROM receipts WHERE session_id = $1", session) == 5);
    await().atMost(WAIT).until(() -> deadLettered("refused") > refusedBefore);
    List<AuditQueues.DeadLetter> dead = new ArrayList<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              dead.addAll(queues.drainDeadLetters());
              return dead.stream().anyMatch(d -> isReceiptOf(d.body(), unknown));
            });
    assertThat(count("SELECT count(*) FROM receipts WHERE session_id = $1", unknown)).isZero();
    // The VS published it persistent: the broker keeps it on disk across a restart.
    assertThat(dead.stream().filter(d -> isReceiptOf(d.body(), unknown)))
        .allSatisfy(d -> assertThat(d.deliveryMode()).isEqualTo(2));
  }

  private static boolean isReceiptOf(byte[] body, SessionId session) {
    try {
      // A group of receipts is dead-lettered whole: the refused one is somewhere in it.
      return AuditEnvelope.open(body).records().stream()
          .anyMatch(
              record ->
                  record instanceof ReceiptRecord r
                      && r.receipt().statement().sessionId().equals(session));
    } catch (MalformedAuditRecordException e) {
      return false;
    }
  }

  private long count(String sql, Object key) {
    Object parameter = key instanceof SessionId s ? Buffer.buffer(s.bytes().toByteArray()) : key;
    return pool.preparedQuery(sql)
        .execute(Tuple.of(parameter))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  private double counter(String name) {
    return registry.get(name).counter().count();
  }

  private double deadLettered(String reason) {
    return registry.get("mmo.vs.audit.dead.lettered").tag("reason", reason).counter().count();
  }
}
