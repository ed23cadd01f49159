package dev.mmo.vs.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.admin.ReceiptVerification.CounterTip;
import dev.mmo.vs.admin.limits.AdminWorkers;
import dev.mmo.vs.admin.problem.ProblemCode;
import dev.mmo.vs.audit.ReceiptEntity;
import dev.mmo.vs.session.SessionEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A session's notarized receipts, as auditors read them, and the checks of claims against them.
 * Every query runs on the primary key (session_id, gs_counter), in counter order.
 */
@ApplicationScoped
public class ReceiptAdminService {
  private static final Sort BY_COUNTER = Sort.ascending("gsCounter");

  private final AdminConfig config;
  private final AdminWorkers workers;
  private final ObjectReader verifyReader;

  public ReceiptAdminService(AdminConfig config, AdminWorkers workers, ObjectMapper json) {
    this.config = config;
    this.workers = workers;
    this.verifyReader = new StrictJson().apply(json, AdminRequests.VerifyReceipts.class);
  }

  /**
   * Reads the claims of a verification body and checks them against the session's receipts: the
   * body is parsed, decoded and folded on the admin worker, the receipts read on the caller's
   * context.
   */
  public Uni<ReceiptVerificationView> verify(SessionId id, byte[] body) {
    int max = config.maxVerifyItems();
    return workers
        .run(() -> VerifyClaims.read(verifyReader, body, id, max))
        .chain(
            claims ->
                claims.tips() != null
                    ? verifyTips(id, claims.tips())
                    : verifyTranscript(id, claims.inputs()));
  }

  /**
   * The session's receipts by counter.
   *
   * @param fromCounter only receipts at this counter or above, or all when null: lets a reader go
   *     past the deepest offset of a long session
   */
  public Uni<PageView<ReceiptView>> list(SessionId id, Long fromCounter, PageRequest page) {
    byte[] session = id.bytes().toByteArray();
    return Panache.withSession(
        () ->
            requireSession(id)
                .chain(
                    () -> {
                      PanacheQuery<ReceiptEntity> query =
                          fromCounter == null
                              ? ReceiptEntity.find(
                                  "sessionId = :session",
                                  BY_COUNTER,
                                  Parameters.with("session", session))
                              : ReceiptEntity.find(
                                  "sessionId = :session and gsCounter >= :from",
                                  BY_COUNTER,
                                  Parameters.with("session", session).and("from", fromCounter));
                      return query
                          .count()
                          .flatMap(
                              total ->
                                  query
                                      .range(page.offset(), page.lastIndex())
                                      .list()
                                      .map(
                                          receipts ->
                                              new PageView<>(
                                                  receipts.stream().map(ReceiptView::of).toList(),
                                                  page.offset(),
                                                  page.limit(),
                                                  total)));
                    }));
  }

  /** Checks each claimed tip against the tip notarized at its counter. */
  public Uni<ReceiptVerificationView> verifyTips(SessionId id, List<CounterTip> claims) {
    Set<Long> counters = new TreeSet<>();
    claims.forEach(c -> counters.add(c.gsCounter()));
    return Panache.withSession(
        () ->
            requireSession(id)
                .chain(
                    () ->
                        Panache.getSession()
                            .chain(
                                s ->
                                    s.createQuery(
                                            "select r.gsCounter, r.receiptTip from ReceiptEntity r"
                                                + " where r.sessionId = :session"
                                                + " and r.gsCounter in :counters",
                                            Object[].class)
                                        .setParameter("session", id.bytes().toByteArray())
                                        .setParameter("counters", counters)
                                        .getResultList()))
                .chain(
                    rows ->
                        workers.run(
                            () -> {
                              Map<Long, Hash> notarized = new HashMap<>();
                              for (Object[] row : rows) {
                                notarized.put((Long) row[0], Hash.of((byte[]) row[1]));
                              }
                              return ReceiptVerificationView.ofTips(
                                  ReceiptVerification.checkTips(claims, notarized));
                            })));
  }

  /**
   * Folds the transcript and checks every notarized receipt of the session against it. Refuses a
   * session with more receipts than {@code mmo.admin.max-verified-receipts} rather than checking
   * only some of them.
   */
  public Uni<ReceiptVerificationView> verifyTranscript(SessionId id, List<byte[]> inputs) {
    int max = config.maxVerifiedReceipts();
    return Panache.withSession(
        () ->
            requireSession(id)
                .chain(
                    () ->
                        Panache.getSession()
                            .chain(
                                s ->
                                    s.createQuery(
                                            "select r.gsCounter, r.receiptTip from ReceiptEntity r"
                                                + " where r.sessionId = :session"
                                                + " order by r.gsCounter",
                                            Object[].class)
                                        .setParameter("session", id.bytes().toByteArray())
                                        .setMaxResults(max + 1)
                                        .getResultList()))
                .chain(
                    rows -> {
                      if (rows.size() > max) {
                        throw new LimitExceededException(
                            ProblemCode.TOO_MANY_RECEIPTS,
                            "the session has more than "
                                + max
                                + " receipts; check them by tips, or read them page by page");
                      }
                      List<CounterTip> receipts =
                          rows.stream()
                              .map(row -> new CounterTip((Long) row[0], Hash.of((byte[]) row[1])))
                              .toList();
                      return workers.run(
                          () ->
                              ReceiptVerificationView.ofTranscript(
                                  ReceiptVerification.checkTranscript(inputs, receipts)));
                    }));
  }

  private static Uni<Void> requireSession(SessionId id) {
    return SessionEntity.count("id", id.bytes().toByteArray())
        .map(
            n -> {
              if (n == 0) {
                throw new SessionNotFoundException(id);
              }
              return null;
            });
  }
}
