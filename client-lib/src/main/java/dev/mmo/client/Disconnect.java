package dev.mmo.client;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Reason;
import java.util.Optional;

/**
 * Why a session ended.
 *
 * @param origin who ended it
 * @param code the protocol reason code (section 13 of docs/protocol.md); a Revoke may carry a code
 *     this version does not name, so it is kept as a number
 * @param detail for logs and people, never for decisions
 */
public record Disconnect(Origin origin, int code, String detail) {
  /** Who ended a session. */
  public enum Origin {
    /** The client left on its own: a failed check, a valid Revoke, or no fresh ticket. */
    CLIENT,
    /** The game server closed the connection (the code is its close status minus 4000). */
    SERVER,
    /** The application called {@link Session#close()} (code {@code SERVICE_UNAVAILABLE}). */
    APPLICATION,
    /** The connection broke or timed out (code {@code SERVICE_UNAVAILABLE}). */
    TRANSPORT
  }

  public Disconnect {
    requireNonNull(origin, "origin");
    requireNonNull(detail, "detail");
  }

  static Disconnect of(Origin origin, Reason reason, String detail) {
    return new Disconnect(origin, reason.code(), detail);
  }

  /** The reason, when this version names the code. */
  public Optional<Reason> reason() {
    return Optional.ofNullable(Reason.fromCode(code));
  }

  @Override
  public String toString() {
    String name = Reason.nameOf(code);
    return origin + " " + name + " (" + detail + ")";
  }
}
