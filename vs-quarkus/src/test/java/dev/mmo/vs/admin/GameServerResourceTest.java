package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.AdminFixtures.enroll;
import static dev.mmo.vs.admin.AdminFixtures.newPublicKey;
import static dev.mmo.vs.admin.AdminFixtures.newSwHash;
import static dev.mmo.vs.admin.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** POST /api/game-servers, GET /api/game-servers, GET /api/game-servers/{id}. */
@QuarkusTest
class GameServerResourceTest {
  @Inject AuditTrail auditTrail;

  @BeforeEach
  void clear() {
    auditTrail.clear();
  }

  private static RequestSpecification asAdmin() {
    return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON);
  }

  private static Map<String, Object> enrollBody(String id, String publicKey, List<String> sw) {
    Map<String, Object> body = new HashMap<>();
    body.put("id", id);
    body.put("publicKey", publicKey);
    body.put("allowedSoftware", sw);
    return body;
  }

  // --- POST /api/game-servers ---------------------------------------------------------------

  @Test
  void enroll_validRequest_returns201WithLocationAndStoresIt() {
    String key = newPublicKey();
    String sw1 = newSwHash();
    String sw2 = newSwHash();

    asAdmin()
        .body(enrollBody("eu-west.gs-1", key, List.of(sw1, sw2)))
        .when()
        .post("/api/game-servers")
        .then()
        .statusCode(201)
        .contentType(ContentType.JSON)
        .header("Location", endsWith("/api/game-servers/eu-west.gs-1"))
        .body("id", equalTo("eu-west.gs-1"))
        .body("publicKey", equalTo(key))
        .body("status", equalTo("ACTIVE"))
        .body("revokedAt", nullValue())
        .body("allowedSoftware.swHash", hasSize(2));

    Map<String, Object> row =
        auditTrail.single(
            "SELECT encode(public_key, 'hex') AS key, status, revoked_at FROM game_servers"
                + " WHERE id = ?",
            "eu-west.gs-1");
    assertThat(row).containsEntry("key", key).containsEntry("status", "ACTIVE");
    assertThat(row.get("revoked_at")).isNull();
    assertThat(
            auditTrail.query(
                "SELECT encode(sw_hash, 'hex') AS h FROM allowed_software WHERE gs_id = ?",
                "eu-west.gs-1"))
        .extracting(r -> r.get("h"))
        .containsExactlyInAnyOrder(sw1, sw2);
  }

  @Test
  void enroll_withoutAllowedSoftware_enrollsWithAnEmptyList() {
    Map<String, Object> body = Map.of("id", "gs-bare", "publicKey", newPublicKey());

    asAdmin()
        .body(body)
        .when()
        .post("/api/game-servers")
        .then()
        .statusCode(201)
        .body("allowedSoftware", empty());
  }

  @Test
  void enroll_withoutToken_returns401() {
    given()
        .contentType(ContentType.JSON)
        .body(enrollBody("gs-1", newPublicKey(), List.of()))
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(401, "UNAUTHORIZED"))
        .header("WWW-Authenticate", equalTo("Bearer"));
    assertThat(auditTrail.query("SELECT id FROM game_servers")).isEmpty();
  }

  @Test
  void enroll_operatorToken_returns403() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .contentType(ContentType.JSON)
        .body(enrollBody("gs-1", newPublicKey(), List.of()))
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(403, "FORBIDDEN"));
    assertThat(auditTrail.query("SELECT id FROM game_servers")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "GS-1",
        "-gs",
        ".gs",
        "gs 1",
        "gs/1",
        "gs\u00e9",
        "a1234567890123456789012345678901234567890123456789012345678901234"
      })
  void enroll_invalidId_returns400InvalidGsId(String id) {
    asAdmin()
        .body(enrollBody(id, newPublicKey(), List.of()))
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(400, "INVALID_GS_ID"));
  }

  @Test
  void enroll_idOf64Characters_isAccepted() {
    String id = "a".repeat(64);
    asAdmin()
        .body(enrollBody(id, newPublicKey(), List.of()))
        .when()
        .post("/api/game-servers")
        .then()
        .statusCode(201)
        .body("id", equalTo(id));
  }

  @Test
  void enroll_missingId_returns400InvalidGsId() {
    asAdmin()
        .body(Map.of("publicKey", newPublicKey()))
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(400, "INVALID_GS_ID"));
  }

  @Test
  void enroll_malformedPublicKeys_return400InvalidPublicKey() {
    String valid = newPublicKey();
    List<String> malformed =
        List.of(
            "",
            valid.substring(2),
            valid + "00",
            valid.toUpperCase(java.util.Locale.ROOT),
            "zz" + valid.substring(2),
            "0x" + valid.substring(2));
    List<String> failures = new ArrayList<>();
    for (String key : malformed) {
      Response response =
          asAdmin().body(enrollBody("gs-key", key, List.of())).post("/api/game-servers");
      if (response.statusCode() != 400
          || !"INVALID_PUBLIC_KEY".equals(response.jsonPath().getString("code"))) {
        failures.add(key + " -> " + response.statusCode() + " " + response.asString());
      }
    }
    assertThat(failures).isEmpty();
    assertThat(auditTrail.query("SELECT id FROM game_servers")).isEmpty();
  }

  @Test
  void enroll_missingPublicKey_returns400InvalidPublicKey() {
    asAdmin()
        .body(Map.of("id", "gs-1"))
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(400, "INVALID_PUBLIC_KEY"));
  }

  /**
   * Every Ed25519 key the protocol's golden vectors mark BAD_KEY (small order, mixed order,
   * non-canonical; protocol/src/test/resources/vectors/client-hello.json) is refused at enrollment:
   * a game server enrolled with one could never pass the join check, or worse.
   */
  @Test
  void enroll_hostileKeysFromTheGoldenVectors_return400BadKey() throws Exception {
    JsonNode vectors;
    try (InputStream in = getClass().getResourceAsStream("/vectors/client-hello.json")) {
      vectors = new ObjectMapper().readTree(in).get("vectors");
    }
    List<String> hostile = new ArrayList<>();
    vectors.forEach(
        v -> {
          if ("BAD_KEY".equals(v.path("expect").asText()) && v.has("verify_key")) {
            hostile.add(v.get("verify_key").asText());
          }
        });
    assertThat(hostile).as("BAD_KEY vectors with a verify_key").hasSizeGreaterThanOrEqualTo(3);

    List<String> failures = new ArrayList<>();
    for (String key : hostile) {
      Response response =
          asAdmin().body(enrollBody("gs-hostile", key, List.of())).post("/api/game-servers");
      if (response.statusCode() != 400 || !"BAD_KEY".equals(response.jsonPath().get("code"))) {
        failures.add(key + " -> " + response.statusCode() + " " + response.asString());
      }
    }
    assertThat(failures).isEmpty();
    assertThat(auditTrail.query("SELECT id FROM game_servers")).isEmpty();
  }

  @Test
  void enroll_malformedSwHash_returns400InvalidSwHash() {
    asAdmin()
        .body(enrollBody("gs-1", newPublicKey(), List.of(newSwHash(), "abcd")))
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(400, "INVALID_SW_HASH"));
    assertThat(auditTrail.query("SELECT id FROM game_servers")).isEmpty();
  }

  @Test
  void enroll_sameSwHashTwice_returns400DuplicateSwHash() {
    String sw = newSwHash();
    asAdmin()
        .body(enrollBody("gs-1", newPublicKey(), List.of(sw, sw)))
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(400, "DUPLICATE_SW_HASH"));
  }

  @Test
  void enroll_moreSwHashesThanTheLimit_returns400TooManySwHashes() {
    List<String> software = IntStream.range(0, 257).mapToObj(i -> newSwHash()).toList();
    asAdmin()
        .body(enrollBody("gs-1", newPublicKey(), software))
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(400, "TOO_MANY_SW_HASHES"));
  }

  @Test
  void enroll_noBody_returns400InvalidBody() {
    asAdmin().when().post("/api/game-servers").then().spec(problem(400, "INVALID_BODY"));
  }

  @Test
  void enroll_malformedJson_returns400InvalidBody() {
    asAdmin()
        .body("{\"id\": \"gs-1\", ")
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(400, "INVALID_BODY"));
  }

  @Test
  void enroll_unknownField_returns400InvalidBodyNamingIt() {
    Map<String, Object> body = enrollBody("gs-1", newPublicKey(), List.of());
    body.put("allowedSoftwares", List.of(newSwHash()));
    asAdmin()
        .body(body)
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(400, "INVALID_BODY"))
        .body("detail", equalTo("unknown field 'allowedSoftwares'"));
    assertThat(auditTrail.query("SELECT id FROM game_servers")).isEmpty();
  }

  @Test
  void enroll_wrongFieldType_returns400InvalidBody() {
    asAdmin()
        .body(
            "{\"id\": \"gs-1\", \"publicKey\": \"" + newPublicKey() + "\", \"allowedSoftware\": 7}")
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(400, "INVALID_BODY"));
  }

  @Test
  void enroll_notJsonContentType_returns415() {
    given()
        .auth()
        .oauth2(TestTokens.admin())
        .contentType(ContentType.TEXT)
        .body("gs-1")
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(415, "UNSUPPORTED_MEDIA_TYPE"));
  }

  @Test
  void enroll_existingId_returns409AndKeepsTheFirstKey() {
    String first = enroll("gs-1");

    asAdmin()
        .body(enrollBody("gs-1", newPublicKey(), List.of()))
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(409, "GAME_SERVER_EXISTS"));
    assertThat(
            auditTrail.single(
                "SELECT encode(public_key, 'hex') AS key FROM game_servers WHERE id = ?", "gs-1"))
        .containsEntry("key", first);
  }

  @Test
  void enroll_idOfARevokedGameServer_returns409() {
    enroll("gs-1");
    AdminFixtures.revoke("gs-1");

    asAdmin()
        .body(enrollBody("gs-1", newPublicKey(), List.of()))
        .when()
        .post("/api/game-servers")
        .then()
        .spec(problem(409, "GAME_SERVER_EXISTS"));
  }

  /** Racing enrollments of one id: exactly one wins, the others get 409, never a 500. */
  @Test
  void enroll_concurrentRequestsForOneId_oneReturns201TheOthers409() throws Exception {
    int racers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      List<CompletableFuture<Integer>> statuses =
          IntStream.range(0, racers)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                          () ->
                              asAdmin()
                                  .body(enrollBody("gs-race", newPublicKey(), List.of(newSwHash())))
                                  .post("/api/game-servers")
                                  .statusCode(),
                          pool))
              .toList();
      List<Integer> results = new ArrayList<>();
      for (CompletableFuture<Integer> status : statuses) {
        results.add(status.get());
      }
      assertThat(results).containsOnly(201, 409);
      assertThat(results).filteredOn(s -> s == 201).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(auditTrail.query("SELECT gs_id FROM allowed_software")).hasSize(1);
  }

  // --- GET /api/game-servers ----------------------------------------------------------------

  @Test
  void list_enrolledServers_returnsThemById() {
    enroll("gs-b");
    enroll("gs-a", newSwHash());
    enroll("gs-c");

    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/game-servers")
        .then()
        .statusCode(200)
        .body("items.id", contains("gs-a", "gs-b", "gs-c"))
        .body("items[0].allowedSoftware", hasSize(1))
        .body("offset", equalTo(0))
        .body("limit", equalTo(50))
        .body("total", equalTo(3));
  }

  @Test
  void list_limitAndOffset_returnThatPage() {
    for (String id : List.of("gs-1", "gs-2", "gs-3", "gs-4", "gs-5")) {
      enroll(id);
    }

    given()
        .auth()
        .oauth2(TestTokens.admin())
        .queryParam("limit", 2)
        .queryParam("offset", 2)
        .when()
        .get("/api/game-servers")
        .then()
        .statusCode(200)
        .body("items.id", contains("gs-3", "gs-4"))
        .body("limit", equalTo(2))
        .body("offset", equalTo(2))
        .body("total", equalTo(5));
  }

  @Test
  void list_withoutToken_returns401() {
    given().when().get("/api/game-servers").then().spec(problem(401, "UNAUTHORIZED"));
  }

  @Test
  void list_tokenWithoutAnAdminRole_returns403() {
    given()
        .auth()
        .oauth2(TestTokens.player())
        .when()
        .get("/api/game-servers")
        .then()
        .spec(problem(403, "FORBIDDEN"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"limit=0", "limit=201", "limit=abc", "offset=-1", "offset=1.5", "offset=10001"})
  void list_pageOutOfBounds_returns400InvalidPage(String query) {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/game-servers?" + query)
        .then()
        .spec(problem(400, "INVALID_PAGE"));
  }

  // --- GET /api/game-servers/{id} -----------------------------------------------------------

  @Test
  void get_enrolled_returnsItWithItsAllowList() {
    String sw = newSwHash();
    String key = enroll("gs-1", sw);

    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/game-servers/gs-1")
        .then()
        .statusCode(200)
        .body("id", equalTo("gs-1"))
        .body("publicKey", equalTo(key))
        .body("status", equalTo("ACTIVE"))
        .body("allowedSoftware.swHash", contains(sw));
  }

  @Test
  void get_unknown_returns404() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/game-servers/gs-nobody")
        .then()
        .spec(problem(404, "GAME_SERVER_NOT_FOUND"));
  }

  @Test
  void get_invalidId_returns400() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/game-servers/GS-1")
        .then()
        .spec(problem(400, "INVALID_GS_ID"));
  }

  @Test
  void get_withoutToken_returns401() {
    given().when().get("/api/game-servers/gs-1").then().spec(problem(401, "UNAUTHORIZED"));
  }

  @Test
  void get_tokenWithoutAnAdminRole_returns403() {
    given()
        .auth()
        .oauth2(TestTokens.player())
        .when()
        .get("/api/game-servers/gs-1")
        .then()
        .spec(problem(403, "FORBIDDEN"));
  }
}
