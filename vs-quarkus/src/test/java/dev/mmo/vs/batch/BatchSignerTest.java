package dev.mmo.vs.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.crypto.SigningException;
import dev.mmo.protocol.crypto.SoftwareEcdsaSigner;
import dev.mmo.protocol.trust.BatchSealer;
import dev.mmo.protocol.trust.SealedBatch;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.VsProof;
import dev.mmo.vs.audit.AuditBrokerHealth;
import dev.mmo.vs.audit.AuditLog;
import dev.mmo.vs.hsm.HsmSigner;
import dev.mmo.vs.hsm.SoftHsmFixture;
import dev.mmo.vs.redis.RedisKeys;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batch signer against the real parts: SoftHSM through SunPKCS11, Redis, RabbitMQ (heads go
 * through the audit queue) and PostgreSQL. Each test starts from an empty chain; every proof is
 * checked with the protocol's verifier against the public key the token script exported, and the
 * recorded chain as an auditor would check it.
 */
@QuarkusTest
class BatchSignerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final SessionId SESSION =
      new SessionId(Bytes.copyOf(Sha256.digest(bytes("batch signer test")), 0, SessionId.LENGTH));

  @Inject StatementSigner signer;
  @Inject HsmSigner hsm;
  @Inject ChainTips tips;
  @Inject ChainRebuild rebuild;
  @Inject AuditLog audit;
  @Inject AuditBrokerHealth broker;
  @Inject Clock clock;
  @Inject Vertx vertx;
  @Inject MeterRegistry registry;
  @Inject RedisDataSource redis;
  @Inject AgroalDataSource db;

  private final EcdsaP256PublicKey vsKey = SoftHsmFixture.vsPublicKey();
  private final VsProofVerifier verifier = new VsProofVerifier(TrustAnchors.of(vsKey));
  private final List<BatchSigner> ownSigners = new ArrayList<>();
  private int nextCounter = 1;

  @BeforeEach
  void emptyChainAndUsableToken() throws SQLException {
    await().atMost(WAIT).until(() -> hsm.status().up() && broker.isUp());
    RecordedChain.erase(db, redis, audit);
  }

  @AfterEach
  void stopOwnSigners() {
    ownSigners.forEach(BatchSigner::stop);
  }

  @Test
  void sign_500ConcurrentStatements_shareFewHeadsAndEveryProofVerifies() throws Exception {
    double headsBefore = count("mmo.vs.batch.heads.signed");
    double statementsBefore = count("mmo.vs.batch.statements");
    List<ProtectedReceipt> receipts = receipts(500);

    List<Attested<ProtectedReceipt>> attested = signConcurrently(receipts, i -> signer, 16);

    double headsSigned = count("mmo.vs.batch.heads.signed") - headsBefore;
    double released = count("mmo.vs.batch.statements") - statementsBefore;
    assertThat(released).isEqualTo(500);
    assertThat(headsSigned).isLessThan(released).isLessThanOrEqualTo(released / 10);
    assertThat(proofProblems(receipts, attested)).isEmpty();
    assertChainRecordedAndCovers(attested);
  }

  @Test
  void sign_afterTheRedisTipIsDeleted_rebuildsFromPostgresInANewEpochWithoutFork()
      throws Exception {
    List<Attested<ProtectedReceipt>> attested = new ArrayList<>();
    List<ProtectedReceipt> receipts = receipts(6);
    for (int i = 0; i < 3; i++) {
      attested.add(signer.sign(receipts.get(i)).await().atMost(WAIT));
    }
    long epochBefore = currentTip().epoch();

    redis.key().del(RedisKeys.batchChainTip());
    for (int i = 3; i < 6; i++) {
      attested.add(signer.sign(receipts.get(i)).await().atMost(WAIT));
    }

    assertThat(proofProblems(receipts, attested)).isEmpty();
    List<RecordedChain.Row> rows = assertChainRecordedAndCovers(attested);
    assertThat(rows).hasSize(6);
    assertThat(attested.get(3).proof().batchHead().batchSeq()).isEqualTo(3);
    assertThat(currentTip().epoch()).isGreaterThan(epochBefore);
  }

  @Test
  void sign_redisRestoredFromAnOlderSnapshot_neverSignsTwiceForOnePosition() throws Exception {
    List<Attested<ProtectedReceipt>> attested = new ArrayList<>();
    List<ProtectedReceipt> receipts = receipts(5);
    attested.add(signer.sign(receipts.get(0)).await().atMost(WAIT));
    Map<String, String> snapshot = redis.hash(String.class).hgetall(RedisKeys.batchChainTip());
    for (int i = 1; i < 3; i++) {
      attested.add(signer.sign(receipts.get(i)).await().atMost(WAIT));
    }

    // What a restart from an older RDB file leaves: the old tip, written by the earlier run.
    snapshot.put("run", "0".repeat(40));
    redis.key().del(RedisKeys.batchChainTip());
    redis.hash(String.class).hset(RedisKeys.batchChainTip(), snapshot);
    for (int i = 3; i < 5; i++) {
      attested.add(signer.sign(receipts.get(i)).await().atMost(WAIT));
    }

    assertThat(proofProblems(receipts, attested)).isEmpty();
    assertOneHeadPerPosition(attested);
    assertThat(attested.get(3).proof().batchHead().batchSeq()).isEqualTo(3);
    assertThat(assertChainRecordedAndCovers(attested)).hasSize(5);
  }

  @Test
  void sign_twoSignersAtOnce_extendOneChainWithoutFork() throws Exception {
    double conflictsBefore = count("mmo.vs.batch.chain.conflicts");
    SimpleMeterRegistry otherMetrics = new SimpleMeterRegistry();
    BatchSigner other = newSigner(new BatchSettings(Duration.ofMillis(20), 64, 1024), otherMetrics);
    List<ProtectedReceipt> receipts = receipts(320);

    // Eight callers, each waiting for every statement: both signers keep batches in flight at
    // the same time for the whole run, so they race for the tip again and again.
    List<Attested<ProtectedReceipt>> attested =
        signConcurrently(receipts, i -> i % 2 == 0 ? signer : other, 8, true);

    assertThat(proofProblems(receipts, attested)).isEmpty();
    Map<Long, Set<SignedHead>> headsBySeq = new HashMap<>();
    for (Attested<ProtectedReceipt> a : attested) {
      VsProof proof = a.proof();
      headsBySeq
          .computeIfAbsent(proof.batchHead().batchSeq(), seq -> new HashSet<>())
          .add(new SignedHead(proof.batchHead(), proof.headSignature()));
    }
    assertThat(headsBySeq.values()).allSatisfy(forOneSeq -> assertThat(forOneSeq).hasSize(1));
    // The race really happened: some batches found the tip moved and were chained again.
    assertThat(
            count("mmo.vs.batch.chain.conflicts")
                - conflictsBefore
                + otherMetrics.get("mmo.vs.batch.chain.conflicts").counter().count())
        .isPositive();
    assertChainRecordedAndCovers(attested);
  }

  @Test
  void sign_moreStatementsThanMaxSize_splitsIntoBatchesOfAtMostMaxSize() throws Exception {
    BatchSigner small = newSigner(new BatchSettings(Duration.ofMillis(200), 8, 64));
    List<ProtectedReceipt> receipts = receipts(30);

    List<Attested<ProtectedReceipt>> attested = signConcurrently(receipts, i -> small, 1);

    assertThat(proofProblems(receipts, attested)).isEmpty();
    Set<SignedHead> distinct = new HashSet<>();
    attested.forEach(
        a -> distinct.add(new SignedHead(a.proof().batchHead(), a.proof().headSignature())));
    assertThat(distinct).hasSizeGreaterThanOrEqualTo(4);
    assertThat(distinct).allSatisfy(h -> assertThat(h.head().treeSize()).isLessThanOrEqualTo(8));
    assertThat(distinct.stream().mapToLong(h -> h.head().treeSize()).sum()).isEqualTo(30);
    assertChainRecordedAndCovers(attested);
  }

  @Test
  void sign_revoke_closesItsBatchAtOnceWithTheStatementsWaitingBeforeIt() throws Exception {
    // A window far longer than the test: only the Revoke can close this batch.
    BatchSigner slow = newSigner(new BatchSettings(Duration.ofMinutes(5), 64, 1024));
    List<ProtectedReceipt> receipts = receipts(3);
    List<CompletableFuture<Attested<ProtectedReceipt>>> waiting = new ArrayList<>();
    for (ProtectedReceipt r : receipts) {
      waiting.add(slow.sign(r).subscribeAsCompletionStage());
    }
    Thread.sleep(300);
    assertThat(waiting).noneMatch(CompletableFuture::isDone);

    Revoke revoke = new Revoke(SESSION, Reason.OPERATOR_ACTION.code(), 1_700_000_000_000L);
    Attested<Revoke> signed = slow.sign(revoke).await().atMost(WAIT);

    List<Attested<ProtectedReceipt>> attested = new ArrayList<>();
    for (CompletableFuture<Attested<ProtectedReceipt>> f : waiting) {
      attested.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
    assertThat(proofProblems(receipts, attested)).isEmpty();
    assertThat(signed.proof().batchHead().treeSize()).isEqualTo(4);
    assertThat(attested)
        .allSatisfy(a -> assertThat(a.proof().batchHead()).isEqualTo(signed.proof().batchHead()));
  }

  @Test
  void sign_queueFull_failsFastWhileEarlierStatementsWaitAndComplete() throws Exception {
    BatchSigner tiny = newSigner(new BatchSettings(Duration.ofMillis(10), 4, 4));
    List<ProtectedReceipt> receipts = receipts(9);
    List<CompletableFuture<Attested<ProtectedReceipt>>> waiting = new ArrayList<>();
    // Holds the batch in flight: every HSM sign thread waits for the latch.
    CountDownLatch hsmBusy = new CountDownLatch(1);
    int threads = ConfigProvider.getConfig().getValue("mmo.vs.hsm.sign-threads", Integer.class);
    List<CompletableFuture<Boolean>> blockers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      blockers.add(hsm.withKey(key -> awaitQuietly(hsmBusy)).subscribeAsCompletionStage());
    }
    try {
      for (int i = 0; i < 8; i++) {
        waiting.add(tiny.sign(receipts.get(i)).subscribeAsCompletionStage());
      }

      long start = System.nanoTime();
      assertThatThrownBy(() -> tiny.sign(receipts.get(8)).await().atMost(WAIT))
          .isInstanceOf(SigningUnavailableException.class)
          .hasMessageContaining("queue-full");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(waiting).noneMatch(CompletableFuture::isDone);
    } finally {
      hsmBusy.countDown();
    }

    List<Attested<ProtectedReceipt>> attested = new ArrayList<>();
    for (CompletableFuture<Attested<ProtectedReceipt>> f : waiting) {
      attested.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
    assertThat(proofProblems(receipts.subList(0, 8), attested)).isEmpty();
    assertChainRecordedAndCovers(attested);
  }

  @Test
  void sign_tokenLoggedOut_failsTheBatchSignsNothingThenRecoversByItself() throws Exception {
    List<ProtectedReceipt> receipts = receipts(3);
    Attested<ProtectedReceipt> before = signer.sign(receipts.get(0)).await().atMost(WAIT);
    double headsSigned = count("mmo.vs.batch.heads.signed");
    ChainTip tip = currentTip();

    SoftHsmFixture.logOutEveryone();

    assertThatThrownBy(() -> signer.sign(receipts.get(1)).await().atMost(WAIT))
        .isInstanceOf(SigningUnavailableException.class)
        .hasMessageContaining("(hsm)");
    assertThat(count("mmo.vs.batch.heads.signed")).isEqualTo(headsSigned);
    assertThat(currentTip()).isEqualTo(tip);

    Attested<ProtectedReceipt> after = signer.sign(receipts.get(2)).await().atMost(WAIT);

    assertThat(proofProblems(List.of(receipts.get(0), receipts.get(2)), List.of(before, after)))
        .isEmpty();
    assertThat(assertChainRecordedAndCovers(List.of(before, after))).hasSize(2);
  }

  @Test
  void sign_redisTipDamaged_isRebuiltAndTheChainGoesOn() throws Exception {
    List<ProtectedReceipt> receipts = receipts(3);
    Attested<ProtectedReceipt> before = signer.sign(receipts.get(0)).await().atMost(WAIT);
    redis.value(String.class).set(RedisKeys.batchChainTip(), "not a chain tip");
    SimpleMeterRegistry freshMetrics = new SimpleMeterRegistry();
    BatchSigner fresh = newSigner(new BatchSettings(Duration.ofMillis(20), 64, 1024), freshMetrics);

    Attested<ProtectedReceipt> second = fresh.sign(receipts.get(1)).await().atMost(WAIT);
    Attested<ProtectedReceipt> third = signer.sign(receipts.get(2)).await().atMost(WAIT);

    assertThat(freshMetrics.get("mmo.vs.batch.chain.rebuilds").counter().count()).isEqualTo(1);
    List<Attested<ProtectedReceipt>> all = List.of(before, second, third);
    assertThat(proofProblems(receipts, all)).isEmpty();
    assertThat(second.proof().batchHead().batchSeq()).isEqualTo(1);
    assertThat(assertChainRecordedAndCovers(all)).hasSize(3);
  }

  @Test
  void sign_postgresUnavailable_goesOnAndEveryHeadIsRecordedOnceItIsBack() throws Exception {
    List<ProtectedReceipt> receipts = receipts(12);
    List<Attested<ProtectedReceipt>> attested = new ArrayList<>();
    attested.add(signer.sign(receipts.get(0)).await().atMost(WAIT));
    assertChainRecordedAndCovers(attested);

    renameHeadsTable("batch_heads", "batch_heads_offline");
    try {
      for (int i = 1; i < receipts.size(); i++) {
        attested.add(signer.sign(receipts.get(i)).await().atMost(WAIT));
      }
      assertThat(RecordedChain.count(db, "SELECT count(*) FROM batch_heads_offline")).isEqualTo(1);
    } finally {
      renameHeadsTable("batch_heads_offline", "batch_heads");
    }

    assertThat(proofProblems(receipts, attested)).isEmpty();
    assertThat(assertChainRecordedAndCovers(attested)).hasSize(receipts.size());
  }

  @Test
  void sign_pendingTipNotSignedByTheVsKey_isReplacedAndNeverRecorded() throws Exception {
    List<ProtectedReceipt> receipts = receipts(2);
    Attested<ProtectedReceipt> before = signer.sign(receipts.get(0)).await().atMost(WAIT);
    ChainTip recorded = currentTip();
    ChainTip forged = recorded.extendedBy(forgedHeadAfter(recorded));
    assertThat(ChainTips.holds(tips.compareAndSet(recorded, forged).await().atMost(WAIT), forged))
        .isTrue();

    Attested<ProtectedReceipt> after = signer.sign(receipts.get(1)).await().atMost(WAIT);

    assertThat(proofProblems(receipts, List.of(before, after))).isEmpty();
    List<RecordedChain.Row> rows = assertChainRecordedAndCovers(List.of(before, after));
    assertThat(rows).hasSize(2).noneMatch(row -> row.head().equals(forged.head().orElseThrow()));
  }

  @Test
  void sign_durableTipNotSignedByTheVsKey_isReplacedAndNeverExtended() throws Exception {
    List<ProtectedReceipt> receipts = receipts(2);
    Attested<ProtectedReceipt> before = signer.sign(receipts.get(0)).await().atMost(WAIT);
    ChainTip recorded = currentTip();
    ChainTip forged = recorded.extendedBy(forgedHeadAfter(recorded)).asDurable();
    tips.compareAndSet(recorded, forged).await().atMost(WAIT);
    SimpleMeterRegistry freshMetrics = new SimpleMeterRegistry();
    BatchSigner fresh = newSigner(new BatchSettings(Duration.ofMillis(20), 64, 1024), freshMetrics);

    Attested<ProtectedReceipt> after = fresh.sign(receipts.get(1)).await().atMost(WAIT);

    assertThat(after.proof().batchHead().prevBatchHeadHash())
        .isEqualTo(recorded.hash())
        .isNotEqualTo(forged.hash());
    assertThat(proofProblems(receipts, List.of(before, after))).isEmpty();
    assertThat(assertChainRecordedAndCovers(List.of(before, after))).hasSize(2);
  }

  @Test
  void sign_newestRecordedHeadSignedByAnEarlierKey_chainGoesOnFromIt() throws Exception {
    List<ProtectedReceipt> receipts = receipts(3);
    Attested<ProtectedReceipt> first = signer.sign(receipts.get(0)).await().atMost(WAIT);
    ChainTip tip = currentTip();
    RecordedChain.awaitFence(db, audit);
    // A rotation: the newest recorded head was signed by the key the VS had before.
    SignedHead earlier = forgedHeadAfter(tip);
    RecordedChain.insert(db, earlier, tip.epoch());
    redis.key().del(RedisKeys.batchChainTip());

    Attested<ProtectedReceipt> second = signer.sign(receipts.get(1)).await().atMost(WAIT);
    SimpleMeterRegistry otherMetrics = new SimpleMeterRegistry();
    BatchSigner other = newSigner(new BatchSettings(Duration.ofMillis(20), 64, 1024), otherMetrics);
    Attested<ProtectedReceipt> third = other.sign(receipts.get(2)).await().atMost(WAIT);

    assertThat(proofProblems(receipts, List.of(first, second, third))).isEmpty();
    assertThat(second.proof().batchHead().batchSeq()).isEqualTo(earlier.seq() + 1);
    assertThat(second.proof().batchHead().prevBatchHeadHash()).isEqualTo(earlier.hash());
    assertThat(third.proof().batchHead().batchSeq()).isEqualTo(earlier.seq() + 2);
    assertThat(otherMetrics.get("mmo.vs.batch.chain.rebuilds").counter().count()).isZero();
    RecordedChain.awaitFence(db, audit);
    assertThat(RecordedChain.read(db)).hasSize(4);
  }

  @Test
  void lateHeadOfAReplacedEpoch_isKeptAsSupersededNeverInTheChain() throws Exception {
    List<ProtectedReceipt> receipts = receipts(2);
    Attested<ProtectedReceipt> before = signer.sign(receipts.get(0)).await().atMost(WAIT);
    ChainTip old = currentTip();
    // A head signed onto the old tip whose signer lost Redis before it was durable.
    SealedBatch late =
        hsm.withKey(
                key ->
                    BatchSealer.sealLeaves(
                        List.of(bytes("late statement")), old.seq() + 1, old.hash(), 1L, key))
            .await()
            .atMost(WAIT);
    redis.key().del(RedisKeys.batchChainTip());
    Attested<ProtectedReceipt> after = signer.sign(receipts.get(1)).await().atMost(WAIT);

    audit.head(SignedHead.of(late), old.epoch()).await().atMost(WAIT);
    RecordedChain.awaitFence(db, audit);

    assertThat(after.proof().batchHead().batchSeq()).isEqualTo(old.seq() + 1);
    assertThat(after.proof().batchHead()).isNotEqualTo(late.head());
    assertThat(
            RecordedChain.count(
                db,
                "SELECT count(*) FROM superseded_batch_heads WHERE epoch = "
                    + old.epoch()
                    + " AND batch_seq = "
                    + (old.seq() + 1)))
        .isEqualTo(1);
    assertThat(assertChainRecordedAndCovers(List.of(before, after))).hasSize(2);
  }

  @Test
  void sign_fixedClock_stampsHeadAndRowWithTheInjectedTime() throws Exception {
    Instant now = Instant.parse("2030-01-02T03:04:05.678Z");
    QuarkusMock.installMockForType(Clock.fixed(now, ZoneOffset.UTC), Clock.class);

    Attested<ProtectedReceipt> attested = signer.sign(receipts(1).get(0)).await().atMost(WAIT);

    assertThat(attested.proof().batchHead().timeMs()).isEqualTo(now.toEpochMilli());
    RecordedChain.awaitFence(db, audit);
    assertThat(RecordedChain.read(db).get(0).recordedAt()).isEqualTo(now);
  }

  @Test
  void sign_callerOnAnEventLoop_completesLaterOnTheCallersContext() throws Exception {
    Context caller = vertx.getOrCreateContext();
    CompletableFuture<Context> completedOn = new CompletableFuture<>();
    AtomicReference<Boolean> completedInsideSubscribe = new AtomicReference<>();
    ProtectedReceipt receipt = receipts(1).get(0);

    caller.runOnContext(
        ignored -> {
          AtomicReference<Boolean> subscribing = new AtomicReference<>(true);
          signer
              .sign(receipt)
              .subscribe()
              .with(
                  a -> {
                    completedInsideSubscribe.set(subscribing.get());
                    completedOn.complete(Vertx.currentContext());
                  },
                  completedOn::completeExceptionally);
          subscribing.set(false);
        });

    assertThat(completedOn.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isSameAs(caller);
    assertThat(completedInsideSubscribe.get()).isFalse();
  }

  @Test
  void sign_callerOffVertx_completesOnAWorkerNeitherHsmThreadNorEventLoop() throws Exception {
    CompletableFuture<String> completedOn = new CompletableFuture<>();

    signer
        .sign(receipts(1).get(0))
        .subscribe()
        .with(
            a ->
                completedOn.complete(
                    (Context.isOnEventLoopThread() ? "event loop " : "")
                        + Thread.currentThread().getName()),
            completedOn::completeExceptionally);

    assertThat(completedOn.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .doesNotStartWith("event loop")
        .doesNotStartWith("mmo-hsm-sign-");
  }

  private BatchSigner newSigner(BatchSettings settings) {
    return newSigner(settings, new SimpleMeterRegistry());
  }

  private BatchSigner newSigner(BatchSettings settings, MeterRegistry meters) {
    BatchSigner created =
        new BatchSigner(settings, hsm, tips, rebuild, audit, clock, meters, vertx);
    ownSigners.add(created);
    return created;
  }

  private List<Attested<ProtectedReceipt>> signConcurrently(
      List<ProtectedReceipt> receipts,
      java.util.function.IntFunction<StatementSigner> signerFor,
      int threads)
      throws Exception {
    return signConcurrently(receipts, signerFor, threads, false);
  }

  /**
   * Signs {@code receipts} from {@code threads} threads released together; statement i goes to
   * {@code signerFor(i)}. A caller either fires all its statements at once or, {@code oneByOne},
   * waits for each before the next.
   */
  private List<Attested<ProtectedReceipt>> signConcurrently(
      List<ProtectedReceipt> receipts,
      java.util.function.IntFunction<StatementSigner> signerFor,
      int threads,
      boolean oneByOne)
      throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<CompletableFuture<Attested<ProtectedReceipt>>>>> perThread = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int first = t;
        perThread.add(
            callers.submit(
                () -> {
                  start.await();
                  List<CompletableFuture<Attested<ProtectedReceipt>>> mine = new ArrayList<>();
                  for (int i = first; i < receipts.size(); i += threads) {
                    CompletableFuture<Attested<ProtectedReceipt>> f =
                        signerFor.apply(i).sign(receipts.get(i)).subscribeAsCompletionStage();
                    if (oneByOne) {
                      f.join();
                    }
                    mine.add(f);
                  }
                  return mine;
                }));
      }
      start.countDown();
      List<Attested<ProtectedReceipt>> results =
          new ArrayList<>(Collections.nCopies(receipts.size(), null));
      for (int t = 0; t < threads; t++) {
        List<CompletableFuture<Attested<ProtectedReceipt>>> mine =
            perThread.get(t).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (int k = 0; k < mine.size(); k++) {
          results.set(t + k * threads, mine.get(k).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
      }
      return results;
    } finally {
      callers.shutdownNow();
    }
  }

  /** Every way the proofs fail: wrong statement back, or a proof the verifier rejects. */
  private List<String> proofProblems(
      List<ProtectedReceipt> sent, List<Attested<ProtectedReceipt>> received) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      Attested<ProtectedReceipt> a = received.get(i);
      if (!a.statement().equals(sent.get(i))) {
        problems.add("statement " + i + " came back as another statement");
      }
      try {
        verifier.verify(a);
      } catch (Rejection e) {
        problems.add("statement " + i + ": " + e.getMessage());
      }
    }
    return problems;
  }

  /**
   * Checks the recorded chain (unbroken from batch_seq 0, signed, hashes right) once the audit
   * writer has caught up, that every proof's head is recorded exactly as the proof shows it, and
   * that Redis names the newest head as the durable tip.
   */
  private List<RecordedChain.Row> assertChainRecordedAndCovers(
      List<Attested<ProtectedReceipt>> attested) throws SQLException {
    RecordedChain.awaitFence(db, audit);
    List<RecordedChain.Row> rows = RecordedChain.read(db);
    assertThat(rows).isNotEmpty();
    assertThat(RecordedChain.problems(rows, vsKey)).isEmpty();
    Set<SignedHead> recorded = new HashSet<>();
    rows.forEach(row -> recorded.add(row.head()));
    for (Attested<ProtectedReceipt> a : attested) {
      assertThat(recorded)
          .contains(new SignedHead(a.proof().batchHead(), a.proof().headSignature()));
    }
    ChainTip tip = currentTip();
    assertThat(tip.durable()).isTrue();
    assertThat(tip.head()).contains(rows.get(rows.size() - 1).head());
    return rows;
  }

  /** No two proofs show different heads for one batch_seq. */
  private static void assertOneHeadPerPosition(List<Attested<ProtectedReceipt>> attested) {
    Map<Long, Set<SignedHead>> headsBySeq = new HashMap<>();
    for (Attested<ProtectedReceipt> a : attested) {
      headsBySeq
          .computeIfAbsent(a.proof().batchHead().batchSeq(), seq -> new HashSet<>())
          .add(new SignedHead(a.proof().batchHead(), a.proof().headSignature()));
    }
    assertThat(headsBySeq.values()).allSatisfy(forOneSeq -> assertThat(forOneSeq).hasSize(1));
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private ChainTip currentTip() {
    TipState state = tips.read().await().atMost(WAIT);
    assertThat(state.kind()).isEqualTo(TipState.Kind.CURRENT);
    return state.tip().orElseThrow();
  }

  /** A head that would follow {@code tip}, signed by some key that is not the VS key. */
  private static SignedHead forgedHeadAfter(ChainTip tip) throws SigningException {
    SoftwareEcdsaSigner stranger = SoftwareEcdsaSigner.generate(new SecureRandom());
    SealedBatch sealed =
        BatchSealer.sealLeaves(
            List.of(bytes("forged statement")), tip.seq() + 1, tip.hash(), 1L, stranger);
    return new SignedHead(sealed.head(), sealed.signature());
  }

  private void renameHeadsTable(String from, String to) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE " + from + " RENAME TO " + to);
    }
  }

  private double count(String counter) {
    return registry.get(counter).counter().count();
  }

  private List<ProtectedReceipt> receipts(int n) {
    List<ProtectedReceipt> receipts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int counter = nextCounter++;
      receipts.add(
          new ProtectedReceipt(
              SESSION,
              counter,
              Sha256.hash(bytes("receipt tip " + counter)),
              Hash.ZERO,
              1_700_000_000_000L + counter));
    }
    return receipts;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
