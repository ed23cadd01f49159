package dev.mmo.vs.batch;

import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.VsStatement;
import io.smallrye.mutiny.Uni;

/**
 * Covers VS statements with the HSM key: every JoinAccept, ticket, receipt and revoke the VS
 * releases goes through here (docs/protocol.md section 6).
 */
public interface StatementSigner {
  /**
   * Signs {@code statement} in the next batch. The Uni completes with the statement and its proof
   * once the batch head is signed, the signature verified, the head chained and persisted; it fails
   * with {@link SigningUnavailableException} when the VS cannot back the statement (HSM, Redis or
   * PostgreSQL down). It never completes on the caller's thread.
   */
  <S extends VsStatement> Uni<Attested<S>> sign(S statement);
}
