package dev.mmo.vs.admin;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.vs.admin.ReceiptVerification.CounterTip;
import dev.mmo.vs.admin.problem.ProblemCode;
import dev.mmo.vs.session.SessionStatus;
import java.util.ArrayList;
import java.util.Base64;
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
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");

  /** The base64 length of the largest frame the protocol allows. */
  private static final int MAX_FRAME_BASE64 = 4 * ((Limits.MAX_FRAME_BYTES + 2) / 3);

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
    if (!PlainText.isOneLine(text)) {
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

  static PageRequest page(String limit, String offset, AdminConfig config) {
    int max = config.maxPageSize();
    int l =
        limit == null ? Math.min(config.defaultPageSize(), max) : integer("limit", limit, 1, max);
    int o = offset == null ? 0 : integer("offset", offset, 0, config.maxOffset());
    return new PageRequest(o, l);
  }

  private static int integer(String name, String value, int min, int max) {
    try {
      int n = Integer.parseInt(decimal(value));
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Refused below, like an out-of-range number.
    }
    throw new InvalidRequestException(
        ProblemCode.INVALID_PAGE, name + " must be an integer from " + min + " to " + max);
  }

  /**
   * {@code value} if it is a number in its one decimal spelling: ASCII digits without sign or
   * leading zero. The JDK parsers would also take {@code +5}, {@code 05} and digits of other
   * scripts.
   */
  private static String decimal(String value) {
    if (!DECIMAL.matcher(value).matches()) {
      throw new NumberFormatException("not a plain decimal");
    }
    return value;
  }

  /** {@code null} when absent: no filter. A reason is named by its code or its name. */
  static Reason reasonFilter(String value) {
    if (value == null) {
      return null;
    }
    Reason reason = null;
    if (value.matches("[1-9][0-9]{0,2}")) {
      reason = Reason.fromCode(Integer.parseInt(value));
    } else {
      for (Reason r : Reason.values()) {
        if (r.name().equals(value)) {
          reason = r;
        }
      }
    }
    if (reason == null) {
      throw new InvalidRequestException(
          ProblemCode.INVALID_REASON_CODE,
          "reason is a reason code (e.g. 50) or its name (e.g. SPEED_VIOLATION) of"
              + " docs/protocol.md section 13");
    }
    return reason;
  }

  /** {@code null} when absent: from the first receipt. */
  static Long fromCounter(String value) {
    if (value == null) {
      return null;
    }
    try {
      long n = Long.parseLong(decimal(value));
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Refused below, like an out-of-range number.
    }
    throw new InvalidRequestException(
        ProblemCode.INVALID_GS_COUNTER, "fromCounter must be an integer from 1 to 2^63-1");
  }

  /**
   * The claimed tips of a verify request, in request order. The count is checked before anything
   * else, so an oversized request costs nothing more.
   */
  static List<CounterTip> tips(List<AdminRequests.ClaimedTip> tips, int max) {
    if (tips.isEmpty()) {
      throw new InvalidRequestException(ProblemCode.INVALID_BODY, "tips is empty");
    }
    if (tips.size() > max) {
      throw new LimitExceededException(
          ProblemCode.TOO_MANY_TIPS, tips.size() + " tips; at most " + max + " per request");
    }
    List<CounterTip> claims = new ArrayList<>(tips.size());
    for (int i = 0; i < tips.size(); i++) {
      AdminRequests.ClaimedTip tip = tips.get(i);
      if (tip == null) {
        throw new InvalidRequestException(ProblemCode.INVALID_BODY, "tips[" + i + "] is null");
      }
      // An untyped JSON number is an Integer or a Long when it is an integer that fits, and
      // something else otherwise (BigInteger, Double, String, Boolean).
      Object counter = tip.gsCounter();
      if (!(counter instanceof Integer || counter instanceof Long)
          || ((Number) counter).longValue() < 1) {
        throw new InvalidRequestException(
            ProblemCode.INVALID_GS_COUNTER,
            "tips[" + i + "].gsCounter must be a JSON integer from 1 to 2^63-1");
      }
      if (tip.receiptTip() == null || !HEX_32_BYTES.matcher(tip.receiptTip()).matches()) {
        throw new InvalidRequestException(
            ProblemCode.INVALID_RECEIPT_TIP,
            "tips[" + i + "].receiptTip must be 64 lowercase hex characters");
      }
      claims.add(new CounterTip(((Number) counter).longValue(), Hash.fromHex(tip.receiptTip())));
    }
    return claims;
  }

  /**
   * The frames of a transcript, as given. Each must be canonical base64 of a ClientInput frame the
   * codec accepts, of {@code session}: a transcript of anything else is the caller's mistake, not
   * evidence against the game server. The client's signature is not checked here: the VS does not
   * know client keys, and the fold covers the signature bytes as they are.
   */
  static List<byte[]> transcript(List<String> frames, SessionId session, int max) {
    if (frames.size() > max) {
      throw new LimitExceededException(
          ProblemCode.TOO_MANY_INPUTS, frames.size() + " inputs; at most " + max + " per request");
    }
    List<byte[]> inputs = new ArrayList<>(frames.size());
    for (int i = 0; i < frames.size(); i++) {
      byte[] frame = base64(frames.get(i), "transcript[" + i + "]");
      Signed<ClientInput> input;
      try {
        input = Codec.decodeSigned(frame, ClientInput.class);
      } catch (Rejection e) {
        throw new InvalidRequestException(
            ProblemCode.INVALID_TRANSCRIPT,
            "transcript[" + i + "] is not a ClientInput frame (" + e.getMessage() + ")");
      }
      if (!input.body().sessionId().equals(session)) {
        throw new InvalidRequestException(
            ProblemCode.INVALID_TRANSCRIPT,
            "transcript["
                + i
                + "] is an input of session "
                + input.body().sessionId().hex()
                + ", not of "
                + session.hex());
      }
      inputs.add(frame);
    }
    return inputs;
  }

  /**
   * Standard base64 with padding (RFC 4648 section 4), in its one canonical spelling: the JDK
   * decoder alone would also take missing padding and non-zero trailing bits.
   */
  private static byte[] base64(String text, String name) {
    if (text != null && text.length() <= MAX_FRAME_BASE64) {
      try {
        byte[] bytes = Base64.getDecoder().decode(text);
        if (Base64.getEncoder().encodeToString(bytes).equals(text) && bytes.length > 0) {
          return bytes;
        }
      } catch (IllegalArgumentException e) {
        // Refused below.
      }
    }
    throw new InvalidRequestException(
        ProblemCode.INVALID_TRANSCRIPT,
        name
            + " must be a frame in standard base64 with padding, at most "
            + MAX_FRAME_BASE64
            + " characters");
  }
}
