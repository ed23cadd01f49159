package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * infra/jwt/mint-token.sh (openssl only) makes tokens the VS accepts: run here with the TEST ONLY
 * key and issuer instead of the dev key pair, against the VS under test.
 */
@QuarkusTest
class MintTokenScriptTest {
  private static final Path SCRIPT = Path.of("..", "infra", "jwt", "mint-token.sh");
  private static final Path TEST_KEY =
      Path.of("src", "test", "resources", "test-only-jwt", "test-only-private-key.pem");

  @Inject AuditTrail auditTrail;

  @BeforeEach
  void clear() {
    auditTrail.clear();
  }

  @Test
  void mintedAdminToken_enrollsAndRevokes_andNamesItsSubjectAsTheOperator() throws Exception {
    String token = mint("admin", "script-alice", "120");
    AdminFixtures.enroll("gs-1");

    given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(Map.of("reason", "minted by the script"))
        .when()
        .post("/api/game-servers/gs-1/revoke")
        .then()
        .statusCode(200);

    assertThat(
            auditTrail.single(
                "SELECT evidence->>'operator' AS operator FROM revocations WHERE gs_id = 'gs-1'"))
        .containsEntry("operator", "script-alice");
  }

  @Test
  void mintedOperatorToken_readsButCannotWrite() throws Exception {
    String token = mint("operator", "script-bob", "120");

    given().auth().oauth2(token).when().get("/api/game-servers").then().statusCode(200);
    given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(Map.of("id", "gs-2", "publicKey", AdminFixtures.newPublicKey()))
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(403, "FORBIDDEN"));
  }

  @Test
  void mintedToken_ofAnotherIssuer_isRefused() throws Exception {
    String token = mintAs("mmo-dev", "admin", "script-eve", "120");

    given()
        .auth()
        .oauth2(token)
        .when()
        .get("/api/game-servers")
        .then()
        .spec(problem(401, "UNAUTHORIZED"));
  }

  @Test
  void mintedToken_forAnotherAudience_isRefused() throws Exception {
    String token =
        run(
            Map.of("MMO_JWT_ISSUER", TestTokens.ISSUER, "MMO_JWT_AUDIENCE", "another-service"),
            "admin",
            "script-eve",
            "120");

    given()
        .auth()
        .oauth2(token)
        .when()
        .get("/api/game-servers")
        .then()
        .spec(problem(401, "UNAUTHORIZED"));
  }

  @Test
  void script_unknownRole_failsWithoutAToken() throws Exception {
    Process p = start(Map.of("MMO_JWT_ISSUER", TestTokens.ISSUER), "root");
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isNotZero();
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEmpty();
  }

  private static String mint(String role, String subject, String ttl) throws Exception {
    return mintAs(TestTokens.ISSUER, role, subject, ttl);
  }

  /** Runs the script with {@code issuer} as MMO_JWT_ISSUER; returns the token it prints. */
  private static String mintAs(String issuer, String... args) throws Exception {
    return run(Map.of("MMO_JWT_ISSUER", issuer), args);
  }

  /**
   * Runs the script with {@code env} added to a neutral environment (the test audience, the TEST
   * ONLY key); returns the token it prints.
   */
  private static String run(Map<String, String> env, String... args) throws Exception {
    Process p = start(env, args);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(err).isZero();
    String token = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    return token;
  }

  private static Process start(Map<String, String> env, String... args) throws IOException {
    String[] command = new String[args.length + 2];
    command[0] = "bash";
    command[1] = SCRIPT.toString();
    System.arraycopy(args, 0, command, 2, args.length);
    ProcessBuilder builder = new ProcessBuilder(command);
    // Not whatever the developer's shell exported: the script's default audience is under test.
    builder.environment().remove("MMO_JWT_AUDIENCE");
    builder.environment().put("MMO_JWT_PRIVATE_KEY", TEST_KEY.toString());
    builder.environment().putAll(env);
    return builder.start();
  }
}
