package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.AdminFixtures.newSwHash;
import static dev.mmo.vs.admin.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every protected endpoint of the admin API refuses a missing or bad token with 401 and a token
 * without the right role with 403, as problem details, before it touches anything.
 */
@QuarkusTest
class AuthenticationTest {
  /** One protected operation; {@code write} ones need the admin role. */
  private record Endpoint(String method, String path, String body, boolean write) {
    Response call(RequestSpecification request) {
      if (body != null) {
        request = request.contentType(ContentType.JSON).body(body);
      }
      return request.request(method, path);
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private static final List<Endpoint> ENDPOINTS =
      List.of(
          new Endpoint("GET", "/api/game-servers", null, false),
          new Endpoint("GET", "/api/game-servers/gs-1", null, false),
          new Endpoint("GET", "/api/sessions", null, false),
          new Endpoint("GET", "/api/sessions/" + "00".repeat(16), null, false),
          new Endpoint(
              "POST",
              "/api/game-servers",
              "{\"id\": \"gs-2\", \"publicKey\": \"" + AdminFixtures.newPublicKey() + "\"}",
              true),
          new Endpoint(
              "POST",
              "/api/game-servers/gs-1/software",
              "{\"swHash\": \"" + newSwHash() + "\"}",
              true),
          new Endpoint("DELETE", "/api/game-servers/gs-1/software/" + newSwHash(), null, true),
          new Endpoint("POST", "/api/game-servers/gs-1/revoke", "{\"reason\": \"x\"}", true));

  @Inject AuditTrail auditTrail;

  @BeforeEach
  void oneGameServer() {
    auditTrail.clear();
    AdminFixtures.enroll("gs-1");
  }

  @Test
  void everyEndpoint_withoutToken_returns401() {
    assertThat(failures(given(), 401, "UNAUTHORIZED")).isEmpty();
    assertNothingChanged();
  }

  @Test
  void everyEndpoint_withInvalidTokens_returns401() {
    List<String> failures = new ArrayList<>();
    Map<String, String> invalid =
        Map.of(
            "expired", TestTokens.expired(),
            "other issuer", TestTokens.fromOtherIssuer(),
            "other audience", TestTokens.forOtherAudience(),
            "no audience", TestTokens.withoutAudience(),
            "other key", TestTokens.signedByOtherKey(),
            "garbage", "not.a.jwt",
            "alg none", unsignedToken());
    invalid.forEach(
        (name, token) ->
            failures(given().auth().oauth2(token), 401, "UNAUTHORIZED")
                .forEach(f -> failures.add(name + ": " + f)));
    assertThat(failures).isEmpty();
    assertNothingChanged();
  }

  @Test
  void writeEndpoints_operatorToken_returns403() {
    List<String> failures = new ArrayList<>();
    for (Endpoint e : ENDPOINTS) {
      if (e.write()) {
        check(e, e.call(given().auth().oauth2(TestTokens.operator())), 403, "FORBIDDEN", failures);
      }
    }
    assertThat(failures).isEmpty();
    assertNothingChanged();
  }

  /**
   * Two Authorization headers, even two valid admin tokens, are refused before either is verified:
   * a proxy in front might have judged the other one.
   */
  @Test
  void everyEndpoint_twoAuthorizationHeaders_returns401() {
    RequestSpecification twice =
        given()
            .header("Authorization", "Bearer " + TestTokens.admin())
            .header("Authorization", "Bearer " + TestTokens.player());
    assertThat(failures(twice, 401, "UNAUTHORIZED")).isEmpty();
    given()
        .header("Authorization", "Bearer " + TestTokens.operator())
        .header("Authorization", "Bearer " + TestTokens.operator())
        .get("/api/trust-anchors")
        .then()
        .spec(problem(401, "UNAUTHORIZED"));
    assertNothingChanged();
  }

  @Test
  void everyEndpoint_tokenWithoutAnAdminRole_returns403() {
    assertThat(failures(given().auth().oauth2(TestTokens.player()), 403, "FORBIDDEN")).isEmpty();
    assertNothingChanged();
  }

  @Test
  void readEndpoints_adminToken_areAllowed() {
    List<String> failures = new ArrayList<>();
    for (Endpoint e : ENDPOINTS) {
      if (!e.write()) {
        int status = e.call(given().auth().oauth2(TestTokens.admin())).statusCode();
        // The session does not exist: 404 proves the request got past authorization.
        if (status != 200 && status != 404) {
          failures.add(e + " -> " + status);
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void endpointWithoutSecurityAnnotation_isDeniedToEveryone() {
    String path = "/api/test-only/unannotated";

    given().when().get(path).then().spec(problem(401, "UNAUTHORIZED"));
    given()
        .auth()
        .oauth2(TestTokens.admin())
        .when()
        .get(path)
        .then()
        .spec(problem(403, "FORBIDDEN"));
  }

  private static List<String> failures(RequestSpecification request, int status, String code) {
    List<String> failures = new ArrayList<>();
    for (Endpoint e : ENDPOINTS) {
      check(e, e.call(request), status, code, failures);
    }
    return failures;
  }

  private static void check(
      Endpoint e, Response response, int status, String code, List<String> failures) {
    if (response.statusCode() != status
        || !response.contentType().startsWith("application/problem+json")
        || !code.equals(response.jsonPath().getString("code"))) {
      failures.add(e + " -> " + response.statusCode() + " " + response.asString());
    }
  }

  /** A token with {@code "alg": "none"} and the right claims: must never be accepted. */
  private static String unsignedToken() {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    long now = System.currentTimeMillis() / 1000;
    String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
    String claims =
        b64.encodeToString(
            ("{\"iss\":\"mmo-test\",\"aud\":\"mmo-vs\",\"upn\":\"mallory\",\"groups\":[\"admin\"],\"iat\":"
                    + now
                    + ",\"exp\":"
                    + (now + 300)
                    + "}")
                .getBytes());
    return header + "." + claims + ".";
  }

  private void assertNothingChanged() {
    assertThat(auditTrail.query("SELECT id, status FROM game_servers"))
        .containsExactly(Map.of("id", "gs-1", "status", "ACTIVE"));
    assertThat(auditTrail.query("SELECT gs_id FROM allowed_software")).isEmpty();
    assertThat(auditTrail.query("SELECT id FROM revocations")).isEmpty();
  }
}
