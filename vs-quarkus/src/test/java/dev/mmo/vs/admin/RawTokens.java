package dev.mmo.vs.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.jwt.util.KeyUtils;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * Tokens signed with the TEST ONLY key whose claims are written as given: values of any JSON type,
 * which the token builder of {@link TestTokens} refuses to produce (a number as {@code groups}, a
 * string as {@code exp}).
 */
final class RawTokens {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RawTokens() {}

  /** The claims of a valid admin token; change or remove entries to make it malformed. */
  static Map<String, Object> adminClaims() {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", TestTokens.ISSUER);
    claims.put("aud", TestTokens.AUDIENCE);
    claims.put("sub", "test-admin");
    claims.put("upn", "test-admin");
    claims.put("groups", List.of(Roles.ADMIN));
    claims.put("iat", now);
    claims.put("exp", now + 300);
    return claims;
  }

  static String sign(Map<String, Object> claims) {
    try {
      JsonWebSignature jws = new JsonWebSignature();
      jws.setPayload(JSON.writeValueAsString(claims));
      jws.setKey(testOnlyKey());
      jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
      jws.setHeader("typ", "JWT");
      return jws.getCompactSerialization();
    } catch (JsonProcessingException | JoseException e) {
      throw new IllegalStateException("cannot sign test claims", e);
    }
  }

  private static PrivateKey testOnlyKey() {
    try {
      return KeyUtils.readPrivateKey("test-only-jwt/test-only-private-key.pem");
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the TEST ONLY private key is missing", e);
    }
  }
}
