package dev.mmo.vs.redis;

import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;

/**
 * Every Redis key the VS uses. Keys carry a cluster hash tag ({@code {...}}) so that all keys one
 * Lua script touches live in one slot of a Redis Cluster; every key has a TTL or a named owner that
 * writes it and says why it may outlive any TTL.
 */
public final class RedisKeys {
  private static final String PREFIX = "mmo:";

  private RedisKeys() {}

  /**
   * A session's live state (hash). TTL: {@code mmo.vs.session.state-ttl}, refreshed by every ticket
   * and every resume.
   */
  public static String session(SessionId id) {
    return PREFIX + "{s:" + id.hex() + "}:session";
  }

  /**
   * The last notarized position of every player of a session (hash: player key hex to {@code
   * x:y:tick:gs_counter}). Same slot as the session. TTL: {@code mmo.vs.session.state-ttl},
   * refreshed by every heartbeat and digest.
   */
  public static String sessionPlayers(SessionId id) {
    return PREFIX + "{s:" + id.hex() + "}:players";
  }

  /**
   * Sessions watched for silence (sorted set of session ids, each scored by the time after which it
   * is checked). Owner: {@code attest.SilenceSweeper} with {@code session_silence.lua}, which
   * remove every entry whose session ended or expired; heartbeats and digests push the score. No
   * TTL: it lives as long as the VS has sessions, and every entry is removed by its owner.
   */
  public static String silenceWatch() {
    return PREFIX + "{silence}:watch";
  }

  /** A JoinRequest nonce seen for a game server (string). TTL: beyond the allowed clock skew. */
  public static String joinNonce(GsId gs, String nonceHex) {
    return PREFIX + "{gs:" + gs.value() + "}:nonce:" + nonceHex;
  }

  /**
   * Authenticated join attempts of a game server in the current minute (counter). TTL: one minute.
   */
  public static String joinRate(GsId gs, long minute) {
    return PREFIX + "{gs:" + gs.value() + "}:joins:" + minute;
  }

  /**
   * The sessions of a game server (sorted set of session ids, each scored by the time until which
   * its state may live). Only {@code session_index.lua} writes it; it drops expired entries and
   * keeps the key alive beyond every score. TTL: a state TTL plus the index refresh period after
   * its last write.
   */
  public static String sessionIndex(GsId gs) {
    return PREFIX + "{gs:" + gs.value() + "}:session-index";
  }

  /**
   * The game server's enrollment is revoked (string {@code "<reason code>:<decided at ms>"}). No
   * TTL, and never deleted: a revocation is final and a gs_id is never enrolled again. Owner:
   * {@code gs.GameServerRevocations}, which sets it when a revocation commits and keeps pushing
   * every REVOKED game server of PostgreSQL into Redis, so a lost write or a lost Redis is
   * repaired.
   */
  public static String gameServerRevoked(GsId gs) {
    return PREFIX + "{gs:" + gs.value() + "}:revoked";
  }

  /**
   * The tip of the batch-head chain (hash: seq, head hash, signed head, durable flag). No TTL: the
   * batch signer owns it and rebuilds it from PostgreSQL when it is missing.
   */
  public static String batchChainTip() {
    return PREFIX + "{batch}:chain";
  }
}
