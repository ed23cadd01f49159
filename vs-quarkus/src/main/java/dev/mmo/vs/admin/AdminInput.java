package dev.mmo.vs.admin;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.admin.problem.ProblemCode;
import dev.mmo.vs.session.SessionStatus;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the strings of admin requests into protocol types, or refuses them with a 400 and a code.
 * Byte strings are accepted in lowercase hex only, the form the API answers with, so that every
 * value has exactly one spelling (in URLs too).
 */
final class AdminInput {
  /** The longest revoke reason kept as evidence. */
  static final int MAX_REASON_LENGTH = 1000;

  private static final Pattern HEX_32_BYTES = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern HEX_16_BYTES = Pattern.compile("[0-9a-f]{32}");

  private AdminInput() {}

  static <T> T body(T body) {
    if (body == null) {
      throw new InvalidRequestException(ProblemCode.INVALID_BODY, "a JSON body is required");
    }
    return body;
  }

  static GsId gsId(String value) {
    if (value == null) {
      throw new InvalidRequestException(ProblemCode.INVALID_GS_ID, "the game server id is missing");
    }
    try {
      return new GsId(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          ProblemCode.INVALID_GS_ID,
          "a game server id is 1..64 characters of [a-z0-9._-], the first a letter or digit");
    }
  }

  static Ed25519PublicKey publicKey(String hex) {
    if (hex == null || !HEX_32_BYTES.matcher(hex).matches()) {
      throw new InvalidRequestException(
          ProblemCode.INVALID_PUBLIC_KEY, "publicKey must be 64 lowercase hex characters");
    }
    return new Ed25519PublicKey(Bytes.fromHex(hex));
  }

  static Hash swHash(String hex) {
    if (hex == null || !HEX_32_BYTES.matcher(hex).matches()) {
      throw new InvalidRequestException(
          ProblemCode.INVALID_SW_HASH, "a software hash is 64 lowercase hex characters");
    }
    return Hash.fromHex(hex);
  }

  /** The hashes of {@code hexes} in order; absent means none. Each may appear once. */
  static Set<Hash> swHashes(List<String> hexes) {
    Set<Hash> hashes = new LinkedHashSet<>();
    if (hexes == null) {
      return hashes;
    }
    for (String hex : hexes) {
      if (!hashes.add(swHash(hex))) {
        throw new InvalidRequestException(
            ProblemCode.DUPLICATE_SW_HASH, "allowedSoftware lists " + hex + " more than once");
      }
    }
    return hashes;
  }

  static SessionId sessionId(String hex) {
    if (hex == null || !HEX_16_BYTES.matcher(hex).matches()) {
      throw new InvalidRequestException(
          ProblemCode.INVALID_SESSION_ID, "a session id is 32 lowercase hex characters");
    }
    return SessionId.fromHex(hex);
  }

  /** {@code null} when absent: no filter. */
  static SessionStatus sessionStatus(String value) {
    if (value == null) {
      return null;
    }
    for (SessionStatus status : SessionStatus.values()) {
      if (status.name().equals(value)) {
        return status;
      }
    }
    throw new InvalidRequestException(
        ProblemCode.INVALID_STATUS, "status is one of ACTIVE, REVOKED, ENDED");
  }

  static String reason(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException(ProblemCode.INVALID_REASON, "a reason is required");
    }
    // One line of plain text: it goes into logs and audit views, where a line break could forge
    // an entry and a bidi override could make it read differently from what is stored.
    if (text.codePoints().anyMatch(AdminInput::isHiddenOrBreaking)) {
      throw new InvalidRequestException(
          ProblemCode.INVALID_REASON,
          "a reason is one line without control, format (bidi, zero-width) or separator characters");
    }
    if (text.length() > MAX_REASON_LENGTH) {
      throw new InvalidRequestException(
          ProblemCode.INVALID_REASON, "a reason is at most " + MAX_REASON_LENGTH + " characters");
    }
    return text.strip();
  }

  /**
   * Control characters (C0, C1: line feed, NEL, ...), format characters (bidi overrides and
   * isolates, zero-width characters), the line and paragraph separators U+2028 and U+2029, and
   * surrogates that do not form a pair.
   */
  private static boolean isHiddenOrBreaking(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE ->
          true;
      default -> false;
    };
  }

  static PageRequest page(String limit, String offset, AdminConfig config) {
    int max = config.maxPageSize();
    int l =
        limit == null ? Math.min(config.defaultPageSize(), max) : integer("limit", limit, 1, max);
    int o = offset == null ? 0 : integer("offset", offset, 0, config.maxOffset());
    return new PageRequest(o, l);
  }

  private static int integer(String name, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Refused below, like an out-of-range number.
    }
    throw new InvalidRequestException(
        ProblemCode.INVALID_PAGE, name + " must be an integer from " + min + " to " + max);
  }
}
