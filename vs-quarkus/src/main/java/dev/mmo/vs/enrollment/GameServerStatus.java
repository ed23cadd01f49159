package dev.mmo.vs.enrollment;

/** Whether a game server may join. Revocation is final: a revoked id is never reinstated. */
public enum GameServerStatus {
  ACTIVE,
  REVOKED
}
