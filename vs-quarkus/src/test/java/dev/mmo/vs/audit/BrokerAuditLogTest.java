package dev.mmo.vs.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.wire.SessionId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How records become broker messages, with the connector replaced by an emitter that keeps what it
 * was handed (the pipeline against a real broker is {@code AuditPipelineTest}): receipts published
 * together travel as one group with one confirm, a group never exceeds its size, a nack fails every
 * receipt of its group, {@code group-max-records} 1 sends the single-record envelope, and other
 * records never wait for a group.
 */
class BrokerAuditLogTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SessionId SESSION = SessionId.random(new SecureRandom());

  /** Long enough that a slow test machine never sends a group before the test filled it. */
  private static final Duration LINGER = Duration.ofMillis(300);

  private final Vertx vertx = Vertx.vertx();
  private final AuditMetrics metrics = new AuditMetrics(new SimpleMeterRegistry());
  private final Sent sent = new Sent();

  @AfterEach
  void close() {
    vertx.close();
  }

  /** The connector's side: every message handed over, to confirm or refuse by the test. */
  private static final class Sent implements Emitter<byte[]> {
    final List<Message<byte[]>> messages = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Void> send(byte[] payload) {
      throw new UnsupportedOperationException("the audit log sends messages with metadata");
    }

    @Override
    public <M extends Message<? extends byte[]>> void send(M message) {
      @SuppressWarnings("unchecked")
      Message<byte[]> m = (Message<byte[]>) message;
      messages.add(m);
    }

    @Override
    public void complete() {}

    @Override
    public void error(Exception e) {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean hasRequests() {
      return true;
    }

    List<AuditRecord> opened(int i) throws MalformedAuditRecordException {
      return AuditEnvelope.open(messages.get(i).getPayload()).records();
    }
  }

  /** The broker is up for these tests; its health polling is not what they are about. */
  private final class BrokerUp extends AuditBrokerHealth {
    BrokerUp() {
      super(new HealthCenter(), vertx, metrics, AuditSettings.defaults());
    }

    @Override
    public boolean isUp() {
      return true;
    }
  }

  private BrokerAuditLog log(int groupMaxRecords) {
    return new BrokerAuditLog(
        sent,
        new BrokerUp(),
        metrics,
        Clock.systemUTC(),
        vertx,
        AuditSettings.defaults()
            .withConfirmTimeout(Duration.ofSeconds(5))
            .withGroups(groupMaxRecords, LINGER));
  }

  private static ReceiptRecord receipt(long counter) {
    return new ReceiptRecord(
        AuditFixtures.receipt(SESSION, counter), Bytes.copyOf(AuditFixtures.digestFrame(counter)));
  }

  /** Publishes receipts 1..count at once, as a batch releasing them does. */
  private static List<UniAssertSubscriber<Void>> publish(BrokerAuditLog log, int count) {
    List<ReceiptRecord> records = new ArrayList<>();
    for (long counter = 1; counter <= count; counter++) {
      records.add(receipt(counter));
    }
    List<UniAssertSubscriber<Void>> waiting = new ArrayList<>();
    for (ReceiptRecord r : records) {
      waiting.add(
          log.receipt(r.receipt(), r.digestFrame().toByteArray())
              .subscribe()
              .withSubscriber(UniAssertSubscriber.create()));
    }
    return waiting;
  }

  private static boolean completed(UniAssertSubscriber<Void> waiting) {
    try {
      waiting.assertCompleted();
      return true;
    } catch (AssertionError notYet) {
      return false;
    }
  }

  @Test
  void receipt_publishedTogether_oneMessageOneConfirmForAll() throws Exception {
    BrokerAuditLog log = log(64);

    List<UniAssertSubscriber<Void>> waiting = publish(log, 10);

    await().atMost(WAIT).until(() -> sent.messages.size() == 1);
    List<AuditRecord> group = sent.opened(0);
    assertThat(group).hasSize(10);
    for (int i = 0; i < 10; i++) {
      assertThat(group.get(i)).isEqualTo(receipt(i + 1));
    }
    assertThat(waiting).allSatisfy(w -> assertThat(completed(w)).isFalse());
    assertThat(metrics.unconfirmed()).hasValue(10);

    sent.messages.get(0).ack().toCompletableFuture().join();

    assertThat(waiting).allSatisfy(w -> w.awaitItem(WAIT).assertCompleted());
    assertThat(metrics.unconfirmed()).hasValue(0);
    // The linger timer of the group that went out must not send anything more.
    Thread.sleep(50);
    assertThat(sent.messages).hasSize(1);
  }

  @Test
  void receipt_moreThanAGroupHolds_fullGroupsAtOnceTheRestAfterItsLinger() throws Exception {
    BrokerAuditLog log = log(4);

    List<UniAssertSubscriber<Void>> waiting = publish(log, 10);

    // Two full groups go at once; the last two receipts wait out the linger and follow.
    assertThat(sent.messages).hasSize(2);
    await().atMost(WAIT).until(() -> sent.messages.size() == 3);
    assertThat(sent.opened(0)).containsExactly(receipt(1), receipt(2), receipt(3), receipt(4));
    assertThat(sent.opened(1)).containsExactly(receipt(5), receipt(6), receipt(7), receipt(8));
    assertThat(sent.opened(2)).containsExactly(receipt(9), receipt(10));

    sent.messages.get(1).ack().toCompletableFuture().join();

    for (int i = 0; i < 10; i++) {
      assertThat(completed(waiting.get(i))).as("receipt %d", i + 1).isEqualTo(i >= 4 && i < 8);
    }
    assertThat(metrics.unconfirmed()).hasValue(6);
  }

  @Test
  void receipt_groupNacked_everyReceiptOfItRefused() {
    BrokerAuditLog log = log(64);

    List<UniAssertSubscriber<Void>> waiting = publish(log, 3);
    await().atMost(WAIT).until(() -> sent.messages.size() == 1);
    sent.messages.get(0).nack(new IllegalStateException("queue full")).toCompletableFuture().join();

    assertThat(waiting)
        .allSatisfy(w -> w.awaitFailure(WAIT).assertFailedWith(AuditUnavailableException.class));
    assertThat(metrics.unconfirmed()).hasValue(0);
  }

  @Test
  void receipt_groupsOfOne_eachAloneInTheSingleRecordEnvelope() throws Exception {
    BrokerAuditLog log = log(1);

    publish(log, 3);

    assertThat(sent.messages).hasSize(3);
    for (int i = 0; i < 3; i++) {
      String body =
          new String(sent.messages.get(i).getPayload(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(body).contains("\"type\":\"receipt\"");
      assertThat(sent.opened(i)).containsExactly(receipt(i + 1));
    }
  }

  @Test
  void revocation_whileAGroupWaits_sentAloneAtOnce() throws Exception {
    BrokerAuditLog log = log(64);
    List<UniAssertSubscriber<Void>> receipts = publish(log, 2);
    RevocationRecord revocation = AuditFixtures.revocation(SESSION, 53);

    UniAssertSubscriber<Void> revoked =
        log.revocation(revocation).subscribe().withSubscriber(UniAssertSubscriber.create());

    assertThat(sent.messages).hasSize(1);
    assertThat(sent.opened(0)).containsExactly(revocation);
    await().atMost(WAIT).until(() -> sent.messages.size() == 2);
    assertThat(sent.opened(1)).containsExactly(receipt(1), receipt(2));
    sent.messages.get(0).ack().toCompletableFuture().join();
    revoked.awaitItem(WAIT).assertCompleted();
    assertThat(receipts).allSatisfy(w -> assertThat(completed(w)).isFalse());
  }
}
