package dev.mmo.vs.admin;

import io.smallrye.jwt.build.Jwt;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Set;

/**
 * Bearer tokens for the admin API tests, signed with the TEST ONLY key under
 * src/test/resources/test-only-jwt/ (issuer {@code mmo-test}, audience {@code mmo-vs}), plus tokens
 * the VS must refuse.
 */
public final class TestTokens {
  public static final String ISSUER = "mmo-test";
  public static final String AUDIENCE = "mmo-vs";

  private TestTokens() {}

  public static String admin() {
    return withRoles("test-admin", Roles.ADMIN);
  }

  public static String operator() {
    return withRoles("test-operator", Roles.OPERATOR);
  }

  /** A valid token whose only role is neither operator nor admin. */
  public static String player() {
    return withRoles("test-player", "player");
  }

  public static String withRoles(String subject, String... roles) {
    return Jwt.issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .upn(subject)
        .groups(Set.of(roles))
        .expiresIn(300)
        .sign();
  }

  public static String expired() {
    Instant now = Instant.now();
    return Jwt.issuer(ISSUER)
        .audience(AUDIENCE)
        .upn("test-admin")
        .groups(Set.of(Roles.ADMIN))
        .issuedAt(now.minusSeconds(3600))
        .expiresAt(now.minusSeconds(600))
        .sign();
  }

  public static String fromOtherIssuer() {
    return Jwt.issuer("someone-else")
        .audience(AUDIENCE)
        .upn("test-admin")
        .groups(Set.of(Roles.ADMIN))
        .expiresIn(300)
        .sign();
  }

  /**
   * Right issuer, key and roles, but meant for another service: what a token the identity provider
   * made for some other API of ours would look like.
   */
  public static String forOtherAudience() {
    return Jwt.issuer(ISSUER)
        .audience("some-other-service")
        .upn("test-admin")
        .groups(Set.of(Roles.ADMIN))
        .expiresIn(300)
        .sign();
  }

  /** Right issuer, key and roles, but no {@code aud} claim at all. */
  public static String withoutAudience() {
    return Jwt.issuer(ISSUER).upn("test-admin").groups(Set.of(Roles.ADMIN)).expiresIn(300).sign();
  }

  /** Right claims, signed with a key the VS does not trust. */
  public static String signedByOtherKey() {
    return Jwt.issuer(ISSUER)
        .audience(AUDIENCE)
        .upn("test-admin")
        .groups(Set.of(Roles.ADMIN))
        .expiresIn(300)
        .sign(freshRsaKey());
  }

  private static PrivateKey freshRsaKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair().getPrivate();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides RSA", e);
    }
  }
}
