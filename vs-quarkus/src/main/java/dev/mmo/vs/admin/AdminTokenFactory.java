package dev.mmo.vs.admin;

import static java.util.Objects.requireNonNull;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Clock;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;

/**
 * Turns a bearer token into the caller: smallrye-jwt's own verification (signature, issuer,
 * audience, expiry, mp.jwt.verify.token.age), then {@link AdminTokenClaims}. Replaces smallrye's
 * default factory, which lets a mistyped claim through to fail later as a server error.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class AdminTokenFactory extends JWTCallerPrincipalFactory {
  private final DefaultJWTTokenParser parser = new DefaultJWTTokenParser();
  private final Clock clock;

  public AdminTokenFactory(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
    JwtContext parsed;
    try {
      parsed = parser.parse(token, context);
    } catch (RuntimeException e) {
      // smallrye-jwt casts some claims (groups) before anyone checks their type: a claim it cannot
      // cast makes the token invalid, not the request a server error.
      throw new ParseException("the token has a claim of the wrong type", e);
    }
    JsonWebStructure signed = parsed.getJoseObjects().get(0);
    AdminTokenClaims.check(asSigned(signed), clock.instant(), context.getClockSkew());
    return new DefaultJWTCallerPrincipal(signed.getHeader("typ"), parsed.getJwtClaims());
  }

  /**
   * The claims as the issuer signed them. smallrye-jwt hands on a normalized copy, where a single
   * string as {@code groups} has already become an array.
   */
  private static JwtClaims asSigned(JsonWebStructure signed) throws ParseException {
    if (!(signed instanceof JsonWebSignature jws)) {
      throw new ParseException("the token is not signed");
    }
    try {
      return JwtClaims.parse(jws.getUnverifiedPayload());
    } catch (InvalidJwtException e) {
      throw new ParseException("the token's claims are not a JSON object", e);
    }
  }
}
