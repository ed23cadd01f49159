package dev.mmo.vs.audit;

import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.vs.db.SafeContext;
import io.quarkus.arc.DefaultBean;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The audit trail written straight into PostgreSQL, in the caller's time: a record is durable when
 * its transaction committed. While PostgreSQL is down nothing can be made durable, so nothing that
 * needs a record is released.
 */
@DefaultBean
@ApplicationScoped
public class DirectAuditLog implements AuditLog {
  private final Vertx vertx;
  private final Clock clock;

  public DirectAuditLog(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  @Override
  public Uni<Void> receipt(Attested<ProtectedReceipt> receipt, byte[] digestFrame) {
    ProtectedReceipt r = receipt.statement();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    return SafeContext.run(
            vertx,
            () ->
                Panache.withTransaction(
                    () ->
                        Panache.getSession()
                            .chain(
                                session ->
                                    session
                                        .createNativeQuery(
                                            "INSERT INTO receipts (session_id, gs_counter, receipt_tip,"
                                                + " digest_hash, notarized_at, receipt, digest, recorded_at)"
                                                + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                                                + " ON CONFLICT (session_id, gs_counter) DO NOTHING")
                                        .setParameter(1, r.sessionId().bytes().toByteArray())
                                        .setParameter(2, r.gsCounter())
                                        .setParameter(3, r.receiptTip().toByteArray())
                                        .setParameter(4, r.digestHash().toByteArray())
                                        .setParameter(5, Instant.ofEpochMilli(r.notarizedAtMs()))
                                        .setParameter(6, Codec.encode(receipt))
                                        .setParameter(7, digestFrame.clone())
                                        .setParameter(8, now)
                                        .executeUpdate())))
        .replaceWithVoid();
  }

  @Override
  public Uni<Void> revocation(RevocationRecord record) {
    return SafeContext.run(
            vertx,
            () ->
                Panache.withTransaction(
                    () ->
                        RevocationWrites.insertOnce(record)
                            .chain(() -> RevocationWrites.endSession(record))))
        .replaceWithVoid();
  }
}
