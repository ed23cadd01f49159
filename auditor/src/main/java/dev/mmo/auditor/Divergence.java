package dev.mmo.auditor;

import static java.util.Objects.requireNonNull;

/**
 * The first place where the host's story and what the VS notarized part ways.
 *
 * @param gsCounter the receipt's gs_counter, or 0 when no receipt is involved (the transcript's own
 *     JoinAccept, or a transcript that breaks after the last receipt)
 * @param tick the digest's tick, or -1 when not known
 */
public record Divergence(long gsCounter, long tick, Kind kind, String detail) {
  public Divergence {
    requireNonNull(kind, "kind");
    requireNonNull(detail, "detail");
  }

  /** What differed, in the order the auditor checks. */
  public enum Kind {
    /** The transcript's JoinAccept is not proven by a trust anchor, or names no usable key. */
    JOIN_ACCEPT_PROOF,
    /** The receipt frame does not decode as an attested ProtectedReceipt. */
    RECEIPT_MALFORMED,
    /** The receipt's VsProof does not verify against the trust anchors. */
    RECEIPT_PROOF,
    /** The receipt or its digest belongs to another session. */
    WRONG_SESSION,
    /** The listed counter, tip or digest hash is not what the attested receipt says. */
    RECEIPT_FIELDS,
    /** The digest frame does not hash to the receipt's digest_hash. */
    DIGEST_HASH,
    /** The digest frame does not decode, or its session-key signature does not verify. */
    DIGEST_SIGNATURE,
    /** The digest's counter or tip is not the receipt's, or its tick does not advance. */
    DIGEST_FIELDS,
    /** The transcript does not verify on its own from this receipt on. */
    TRANSCRIPT_INVALID,
    /** The replay's receipt tip at the digest's tick is not the notarized one. */
    RECEIPT_TIP,
    /** A player's notarized position is not the replay's (or the player is in one only). */
    POSITION
  }
}
