package dev.mmo.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * Every reason the protocol rejects a message, closes a connection or revokes a session.
 *
 * <p>The numeric code is part of the wire format (it travels in {@code Revoke} and, as {@code 4000
 * + code}, in WebSocket close frames), so codes are never reused or renumbered: new reasons are
 * appended. docs/protocol.md lists them.
 */
public enum Reason {
  // Codec: the bytes do not form a canonical message.
  MALFORMED(1),
  TRUNCATED(2),
  TRAILING_BYTES(3),
  UNSUPPORTED_VERSION(4),
  UNKNOWN_TYPE(5),
  LENGTH_OUT_OF_RANGE(6),
  VALUE_OUT_OF_RANGE(7),
  UNEXPECTED_TYPE(8),
  FRAME_TOO_LARGE(9),

  // Cryptography.
  BAD_SIGNATURE(20),
  BAD_PROOF(21),
  UNKNOWN_VS_KEY(22),
  BAD_KEY(23),

  // Chains, counters and time.
  CHAIN_GAP(30),
  CHAIN_BROKEN(31),
  TICKET_EXPIRED(32),
  TICKET_NOT_YET_VALID(33),
  WRONG_SESSION(34),
  REPLAY(35),
  STALE_TICKET_REF(36),
  CLOCK_SKEW(37),
  COUNTER_NOT_INCREASING(38),
  HANDSHAKE_MISMATCH(39),

  // Admission and session state.
  NOT_ENROLLED(40),
  ENROLLMENT_REVOKED(41),
  SW_HASH_NOT_ALLOWED(42),
  SW_HASH_MISMATCH(43),
  SESSION_UNKNOWN(44),
  SESSION_REVOKED(45),

  // Behaviour and operations.
  SPEED_VIOLATION(50),
  BOUNDS_VIOLATION(51),
  MISSED_HEARTBEATS(52),
  OPERATOR_ACTION(53),
  RATE_LIMITED(54),
  TOO_MANY_CLIENTS(55),
  NO_FRESH_TICKET(56),
  SERVICE_UNAVAILABLE(57),
  INTERNAL_ERROR(58),
  CONNECTION_REPLACED(59);

  /** WebSocket close codes 4000-4999 are reserved for applications (RFC 6455, section 7.4.2). */
  public static final int CLOSE_CODE_BASE = 4000;

  /** The largest code a reason may have, so that {@code 4000 + code} is a valid close status. */
  public static final int MAX_CODE = 999;

  private static final Map<Integer, Reason> BY_CODE = new HashMap<>();

  static {
    for (Reason r : values()) {
      if (BY_CODE.put(r.code, r) != null) {
        throw new ExceptionInInitializerError("duplicate reason code " + r.code);
      }
    }
  }

  private final int code;

  Reason(int code) {
    this.code = code;
  }

  /** The stable wire code, 1..{@value #MAX_CODE}. */
  public int code() {
    return code;
  }

  /** The WebSocket close status that carries this reason. */
  public int closeCode() {
    return CLOSE_CODE_BASE + code;
  }

  /** The reason for a wire code, or {@code null} when the code is not known. */
  public static Reason fromCode(int code) {
    return BY_CODE.get(code);
  }

  /**
   * The name a wire code goes by: the reason's name, or {@code CODE_<code>} for a code this version
   * does not name (docs/protocol.md section 13: the close reason text of a forwarded Revoke).
   */
  public static String nameOf(int code) {
    Reason reason = fromCode(code);
    return reason != null ? reason.name() : "CODE_" + code;
  }

  /** The reason for a WebSocket close status, or {@code null} when it carries none of ours. */
  public static Reason fromCloseCode(int closeCode) {
    return fromCode(closeCode - CLOSE_CODE_BASE);
  }
}
