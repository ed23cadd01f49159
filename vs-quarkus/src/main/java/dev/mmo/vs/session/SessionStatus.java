package dev.mmo.vs.session;

/** The life of a session in the audit trail (column {@code sessions.status}). */
public enum SessionStatus {
  /** Admitted by a JoinAccept and not over yet. */
  ACTIVE,
  /** Ended by a revocation; {@code end_reason} holds its reason code. */
  REVOKED,
  /** Ended without a revocation (the game server left, or went away and its state expired). */
  ENDED
}
