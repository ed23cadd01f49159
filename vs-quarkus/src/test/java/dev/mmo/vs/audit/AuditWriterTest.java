package dev.mmo.vs.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.wire.SessionId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's batching and acknowledgement rules, with the PostgreSQL side replaced by a scripted
 * store (the pipeline against the real services is {@code AuditPipelineTest} and the outage tests):
 * batches never exceed their size, a message is acked only after the batch holding it was
 * committed, a failing batch is held and retried, and what PostgreSQL refuses for good is rejected
 * alone.
 */
class AuditWriterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SessionId SESSION = SessionId.random(new SecureRandom());

  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    vertx.close();
  }

  /**
   * A store whose every write is decided by the test; it records each batch it was given. Its pool
   * points nowhere and is never used.
   */
  private final class ScriptedStore extends AuditStore {
    final List<List<AuditRecord>> batches = new CopyOnWriteArrayList<>();
    final List<List<AuditRecord>> committed = new CopyOnWriteArrayList<>();
    volatile Predicate<List<AuditRecord>> fails = batch -> false;
    volatile Predicate<List<AuditRecord>> refusesForGood = batch -> false;

    ScriptedStore() {
      super(
          Pool.newInstance(
              PgBuilder.pool().connectingTo(new PgConnectOptions()).using(vertx).build()),
          Clock.systemUTC());
    }

    @Override
    public Uni<Void> write(List<AuditRecord> batch) {
      batches.add(List.copyOf(batch));
      if (refusesForGood.test(batch)) {
        return Uni.createFrom()
            .failure(new PgException("foreign key violation", "ERROR", "23503", null));
      }
      if (fails.test(batch)) {
        return Uni.createFrom().failure(new IOException("connection refused"));
      }
      committed.add(List.copyOf(batch));
      return Uni.createFrom().voidItem();
    }
  }

  /** A delivered message that counts its acks and rejections. */
  private static final class Delivery {
    final AtomicInteger acks = new AtomicInteger();
    final AtomicInteger nacks = new AtomicInteger();
    final Message<byte[]> message;

    Delivery(byte[] body) {
      message =
          Message.of(
              body,
              () -> {
                acks.incrementAndGet();
                return CompletableFuture.completedFuture(null);
              },
              failure -> {
                nacks.incrementAndGet();
                return CompletableFuture.completedFuture(null);
              });
    }
  }

  private AuditWriter writer(ScriptedStore store, int batchSize) {
    return new AuditWriter(
        store,
        new AuditMetrics(meters),
        vertx,
        Clock.systemUTC(),
        AuditSettings.defaults().withBatchSize(batchSize));
  }

  private static ReceiptRecord receipt(long counter) {
    return new ReceiptRecord(
        AuditFixtures.receipt(SESSION, counter),
        dev.mmo.protocol.bytes.Bytes.copyOf(AuditFixtures.digestFrame(counter)));
  }

  private static List<Delivery> deliverAll(AuditWriter writer, int count) {
    List<Delivery> deliveries = new ArrayList<>();
    for (long counter = 1; counter <= count; counter++) {
      deliveries.add(new Delivery(AuditEnvelope.seal(receipt(counter), Instant.now())));
    }
    for (Delivery d : deliveries) {
      writer.deliver(d.message);
    }
    return deliveries;
  }

  @Test
  void deliver_manyRecords_batchesNeverLargerThanTheirSizeAndEachRecordAckedOnce() {
    ScriptedStore store = new ScriptedStore();
    AuditWriter writer = writer(store, 4);

    List<Delivery> deliveries = deliverAll(writer, 10);

    await().atMost(WAIT).until(() -> deliveries.stream().allMatch(d -> d.acks.get() == 1));
    assertThat(store.batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(4));
    assertThat(store.committed.stream().mapToInt(List::size).sum()).isEqualTo(10);
    assertThat(deliveries).allSatisfy(d -> assertThat(d.nacks).hasValue(0));
  }

  @Test
  void deliver_postgresFailing_nothingAckedUntilTheHeldBatchCommits() {
    ScriptedStore store = new ScriptedStore();
    store.fails = batch -> true;
    AuditWriter writer = writer(store, 8);

    List<Delivery> deliveries = deliverAll(writer, 3);
    // Let it fail several times: the same batch is tried again and again, never acked.
    await().atMost(WAIT).until(() -> store.batches.size() >= 3);
    assertThat(deliveries).allSatisfy(d -> assertThat(d.acks).hasValue(0));
    assertThat(store.batches)
        .allSatisfy(batch -> assertThat(batch).isEqualTo(store.batches.get(0)));
    store.fails = batch -> false;

    await().atMost(WAIT).until(() -> deliveries.stream().allMatch(d -> d.acks.get() == 1));
    assertThat(store.committed.stream().mapToInt(List::size).sum()).isEqualTo(3);
    assertThat(deliveries).allSatisfy(d -> assertThat(d.nacks).hasValue(0));
  }

  @Test
  void deliver_oneRecordRefusedForGood_onlyThatOneRejected() {
    ScriptedStore store = new ScriptedStore();
    ReceiptRecord bad = receipt(2);
    store.refusesForGood = batch -> batch.contains(bad);
    AuditWriter writer = writer(store, 8);

    List<Delivery> deliveries = deliverAll(writer, 4);

    await()
        .atMost(WAIT)
        .until(() -> deliveries.stream().allMatch(d -> d.acks.get() + d.nacks.get() == 1));
    assertThat(deliveries.get(1).nacks).hasValue(1);
    for (int i : new int[] {0, 2, 3}) {
      assertThat(deliveries.get(i).acks).hasValue(1);
      assertThat(deliveries.get(i).nacks).hasValue(0);
    }
  }

  /** One message holding receipts {@code from}..{@code to}, as a replica's group of receipts. */
  private static Delivery group(long from, long to) {
    List<AuditEnvelope.ReceiptFrames> frames = new ArrayList<>();
    for (long counter = from; counter <= to; counter++) {
      frames.add(AuditEnvelope.ReceiptFrames.of(receipt(counter)));
    }
    return new Delivery(AuditEnvelope.sealReceipts(frames, Instant.now()));
  }

  @Test
  void deliver_groupLargerThanABatch_writtenAcrossBatchesAndAckedOnceAfterTheLast() {
    ScriptedStore store = new ScriptedStore();
    store.fails = batch -> store.batches.size() <= 2; // the first two attempts fail
    AuditWriter writer = writer(store, 4);
    Delivery group = group(1, 10);
    Delivery single = new Delivery(AuditEnvelope.seal(receipt(11), Instant.now()));

    writer.deliver(group.message);
    writer.deliver(single.message);

    await().atMost(WAIT).until(() -> single.acks.get() == 1 && group.acks.get() == 1);
    assertThat(store.batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(4));
    List<AuditRecord> written = new ArrayList<>();
    store.committed.forEach(written::addAll);
    assertThat(written).hasSize(11);
    for (long counter = 1; counter <= 11; counter++) {
      assertThat(written).contains(receipt(counter));
    }
    assertThat(group.nacks).hasValue(0);
  }

  @Test
  void deliver_groupNotYetWholeWritten_notAcked() {
    ScriptedStore store = new ScriptedStore();
    AuditWriter writer = writer(store, 4);
    Delivery group = group(1, 6);
    // The second batch of the group (receipts 5 and 6) fails until the test lets it through.
    store.fails = batch -> batch.contains(receipt(5));

    writer.deliver(group.message);

    await().atMost(WAIT).until(() -> store.committed.size() == 1 && store.batches.size() >= 3);
    assertThat(group.acks).hasValue(0);
    store.fails = batch -> false;
    await().atMost(WAIT).until(() -> group.acks.get() == 1);
    assertThat(group.nacks).hasValue(0);
  }

  @Test
  void deliver_groupWithARecordRefusedForGood_othersWrittenAndTheMessageDeadLettered() {
    ScriptedStore store = new ScriptedStore();
    ReceiptRecord bad = receipt(3);
    store.refusesForGood = batch -> batch.contains(bad);
    AuditWriter writer = writer(store, 8);
    Delivery group = group(1, 4);
    Delivery after = new Delivery(AuditEnvelope.seal(receipt(5), Instant.now()));

    writer.deliver(group.message);
    writer.deliver(after.message);

    await().atMost(WAIT).until(() -> group.nacks.get() == 1 && after.acks.get() == 1);
    assertThat(group.acks).hasValue(0);
    List<AuditRecord> written = new ArrayList<>();
    store.committed.forEach(written::addAll);
    assertThat(written)
        .containsExactlyInAnyOrder(receipt(1), receipt(2), receipt(4), receipt(5))
        .doesNotContain(bad);
    // One message went to the dead-letter queue, and the metric counts messages.
    assertThat(meters.get("mmo.vs.audit.dead.lettered").tag("reason", "refused").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void deliver_notAnEnvelope_rejectedAtOnceAndNeverWritten() {
    ScriptedStore store = new ScriptedStore();
    AuditWriter writer = writer(store, 8);
    Delivery poison = new Delivery(new byte[] {'{', '}'});

    writer.deliver(poison.message);

    assertThat(poison.nacks).hasValue(1);
    assertThat(poison.acks).hasValue(0);
    assertThat(store.batches).isEmpty();
  }
}
