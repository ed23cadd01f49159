package dev.mmo.vs.admin;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Instant;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/** The claim checks alone, at their bounds, with a fixed clock. */
class AdminTokenClaimsTest {
  private static final Instant NOW = Instant.parse("2026-12-06T04:00:00Z");
  private static final long SKEW = 60;

  private static JwtClaims claims(long issuedAt) {
    JwtClaims claims = new JwtClaims();
    claims.setClaim("upn", "alice");
    claims.setClaim("sub", "alice");
    claims.setClaim("groups", List.of(Roles.ADMIN));
    claims.setClaim("iat", issuedAt);
    return claims;
  }

  @Test
  void check_iatAtNowPlusSkew_accepted() {
    assertThatCode(() -> AdminTokenClaims.check(claims(NOW.getEpochSecond() + SKEW), NOW, SKEW))
        .doesNotThrowAnyException();
  }

  @Test
  void check_iatOneSecondPastTheSkew_refused() {
    assertThatThrownBy(
            () -> AdminTokenClaims.check(claims(NOW.getEpochSecond() + SKEW + 1), NOW, SKEW))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("iat");
  }

  @Test
  void check_nameOf255Characters_acceptedAnd256Refused() throws ParseException {
    JwtClaims claims = claims(NOW.getEpochSecond());
    claims.setClaim("upn", "a".repeat(AdminTokenClaims.MAX_NAME_LENGTH));
    AdminTokenClaims.check(claims, NOW, SKEW);

    claims.setClaim("upn", "a".repeat(AdminTokenClaims.MAX_NAME_LENGTH + 1));
    assertThatThrownBy(() -> AdminTokenClaims.check(claims, NOW, SKEW))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("upn");
  }

  @Test
  void check_noGroupsClaim_accepted() {
    JwtClaims claims = claims(NOW.getEpochSecond());
    claims.unsetClaim("groups");

    assertThatCode(() -> AdminTokenClaims.check(claims, NOW, SKEW)).doesNotThrowAnyException();
  }
}
