package dev.mmo.vs.admin;

import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;

/**
 * What an admin token's claims must look like beyond its signature, issuer, audience and expiry
 * (which smallrye-jwt checks): every claim the VS reads of the type it reads it as, a caller name
 * it can store as evidence, and an issue time not in the future. A token that fails is invalid
 * (401), never a server error.
 */
final class AdminTokenClaims {
  /** The claims the caller's name may come from, in the order smallrye-jwt picks them. */
  private static final List<String> NAME_CLAIMS = List.of("upn", "preferred_username", "sub");

  /** The longest caller name kept as evidence (OpenID Connect's bound on {@code sub}). */
  static final int MAX_NAME_LENGTH = 255;

  private AdminTokenClaims() {}

  /**
   * Refuses {@code claims} unless the name claims are strings of one line, {@code groups} (when
   * present) an array of such strings, and {@code iat} no later than {@code now} plus {@code
   * clockSkewSeconds}: without that bound a token issued for next year would outlive
   * mp.jwt.verify.token.age.
   */
  static void check(JwtClaims claims, Instant now, long clockSkewSeconds) throws ParseException {
    Map<String, Object> values = claims.getClaimsMap();
    for (String name : NAME_CLAIMS) {
      if (values.containsKey(name)) {
        text(name, values.get(name));
      }
    }
    if (values.containsKey("groups")) {
      if (!(values.get("groups") instanceof List<?> groups)) {
        throw new ParseException("groups is not an array of strings");
      }
      for (Object group : groups) {
        text("groups", group);
      }
    }
    if (!(values.get("iat") instanceof Number issuedAt)) {
      throw new ParseException("iat is missing or not a number");
    }
    if (issuedAt.doubleValue() > now.getEpochSecond() + clockSkewSeconds) {
      throw new ParseException("iat is in the future");
    }
  }

  private static void text(String claim, Object value) throws ParseException {
    if (!(value instanceof String text)
        || text.isEmpty()
        || text.length() > MAX_NAME_LENGTH
        || !PlainText.isOneLine(text)) {
      throw new ParseException(
          claim + " is not one line of 1.." + MAX_NAME_LENGTH + " plain characters");
    }
  }
}
