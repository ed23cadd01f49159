package dev.mmo.vs.batch;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The chain tip key as one read found it: absent, a tip this Redis run wrote (current), or one that
 * must be rebuilt: written by an earlier Redis run (stale) or not parseable (damaged).
 *
 * @param raw the stored epoch, seq, hash and run, as strings, exactly as read: what a replace
 *     compares against; empty when the key is absent
 * @param tip the parsed tip when the state is current
 */
record TipState(Kind kind, Optional<Raw> raw, Optional<ChainTip> tip, String why) {
  enum Kind {
    ABSENT,
    CURRENT,
    STALE,
    DAMAGED
  }

  /** The stored identity of a tip, compared by the scripts field by field. */
  record Raw(String epoch, String seq, String hash, String run) {
    Raw {
      requireNonNull(epoch, "epoch");
      requireNonNull(seq, "seq");
      requireNonNull(hash, "hash");
      requireNonNull(run, "run");
    }
  }

  TipState {
    requireNonNull(kind, "kind");
    requireNonNull(raw, "raw");
    requireNonNull(tip, "tip");
    requireNonNull(why, "why");
  }

  /** The tip, when it is current and may be used as it is (committed). */
  Optional<ChainTip> usable() {
    return kind == Kind.CURRENT && tip.orElseThrow().committed() ? tip : Optional.empty();
  }
}
