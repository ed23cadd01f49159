package dev.mmo.protocol.wire;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;

/** The hashes the protocol names, each over bytes the codec defines. */
public final class Hashes {
  private Hashes() {}

  /** SHA-256 of a statement's bytes: what tickets chain through ({@code prev_ticket_hash}). */
  public static Hash statementHash(VsStatement statement) {
    return Sha256.hash(Codec.statementBytes(statement));
  }

  /**
   * SHA-256 of a batch head's signing input: what the next head's {@code prev_batch_head_hash}
   * holds.
   */
  public static Hash batchHeadHash(BatchHead head) {
    return Sha256.hash(Codec.batchHeadSigningInput(head));
  }

  /** SHA-256 of a whole encoded frame, e.g. the JoinRequest a JoinAccept answers. */
  public static Hash frameHash(byte[] frame) {
    return Sha256.hash(frame);
  }
}
