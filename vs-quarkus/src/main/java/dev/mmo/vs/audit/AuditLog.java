package dev.mmo.vs.audit;

import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.vs.batch.SignedHead;
import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * The VS's durable audit trail. A receipt is released to its game server only after {@link
 * #receipt} completed: the record is durably accepted (docs/protocol.md 9.2). Both methods are
 * idempotent: a record accepted twice is kept once. When a record cannot be made durable now, the
 * Uni fails with {@link AuditUnavailableException} and the caller answers {@code
 * SERVICE_UNAVAILABLE}.
 *
 * <p>Batch heads go through here too, before any statement under them is released, and so does the
 * fence a chain rebuild waits for (vs-quarkus/README.md, "Batch heads through the audit queue").
 */
public interface AuditLog {
  /**
   * Accepts a notarized receipt with the signed TranscriptDigest frame that made the claim.
   * Completes when the record is durable; fails when it cannot be made durable now.
   */
  Uni<Void> receipt(Attested<ProtectedReceipt> receipt, byte[] digestFrame);

  /** Accepts a revocation with its evidence; completes when the record is durable. */
  Uni<Void> revocation(RevocationRecord record);

  /** Accepts a signed batch head of chain epoch {@code epoch}; completes when it is durable. */
  Uni<Void> head(SignedHead head, long epoch);

  /** Sends a fence through the queue; completes when the broker holds it. */
  Uni<Void> fence(UUID id);
}
