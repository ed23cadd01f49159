package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.AdminFixtures.enroll;
import static dev.mmo.vs.admin.AdminFixtures.newSwHash;
import static dev.mmo.vs.admin.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /api/game-servers/{id}/software and DELETE /api/game-servers/{id}/software/{swHash}. */
@QuarkusTest
class SoftwareResourceTest {
  /** mmo.admin.max-software-per-game-server in application.properties. */
  private static final int ALLOW_LIST_LIMIT = 256;

  @Inject AuditTrail auditTrail;

  @BeforeEach
  void clear() {
    auditTrail.clear();
  }

  private static RequestSpecification asAdmin() {
    return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON);
  }

  private List<Object> storedHashes(String gsId) {
    return auditTrail
        .query("SELECT encode(sw_hash, 'hex') AS h FROM allowed_software WHERE gs_id = ?", gsId)
        .stream()
        .map(r -> r.get("h"))
        .toList();
  }

  // --- POST /api/game-servers/{id}/software -------------------------------------------------

  @Test
  void allow_newHash_returns201WithLocationAndTheUpdatedGameServer() {
    String first = newSwHash();
    enroll("gs-1", first);
    String added = newSwHash();

    asAdmin()
        .body(Map.of("swHash", added))
        .when()
        .post("/api/game-servers/gs-1/software")
        .then()
        .statusCode(201)
        .header("Location", endsWith("/api/game-servers/gs-1/software/" + added))
        .body("id", equalTo("gs-1"))
        .body("allowedSoftware.swHash", hasItem(added))
        .body("allowedSoftware.size()", equalTo(2));

    assertThat(storedHashes("gs-1")).containsExactlyInAnyOrder(first, added);
  }

  @Test
  void allow_hashAlreadyAllowed_returns409() {
    String sw = newSwHash();
    enroll("gs-1", sw);

    asAdmin()
        .body(Map.of("swHash", sw))
        .when()
        .post("/api/game-servers/gs-1/software")
        .then()
        .spec(problem(409, "SOFTWARE_EXISTS"));
  }

  @Test
  void allow_fullAllowList_returns409LimitReached() {
    enroll(
        "gs-1",
        IntStream.range(0, ALLOW_LIST_LIMIT).mapToObj(i -> newSwHash()).toArray(String[]::new));

    asAdmin()
        .body(Map.of("swHash", newSwHash()))
        .when()
        .post("/api/game-servers/gs-1/software")
        .then()
        .spec(problem(409, "SOFTWARE_LIMIT_REACHED"));
    assertThat(storedHashes("gs-1")).hasSize(ALLOW_LIST_LIMIT);
  }

  @Test
  void allow_revokedGameServer_returns409() {
    enroll("gs-1");
    AdminFixtures.revoke("gs-1");

    asAdmin()
        .body(Map.of("swHash", newSwHash()))
        .when()
        .post("/api/game-servers/gs-1/software")
        .then()
        .spec(problem(409, "GAME_SERVER_REVOKED"));
    assertThat(storedHashes("gs-1")).isEmpty();
  }

  @Test
  void allow_unknownGameServer_returns404() {
    asAdmin()
        .body(Map.of("swHash", newSwHash()))
        .when()
        .post("/api/game-servers/gs-nobody/software")
        .then()
        .spec(problem(404, "GAME_SERVER_NOT_FOUND"));
  }

  @Test
  void allow_malformedHash_returns400() {
    enroll("gs-1");
    for (String hash : List.of("", "00", newSwHash().toUpperCase(java.util.Locale.ROOT))) {
      asAdmin()
          .body(Map.of("swHash", hash))
          .when()
          .post("/api/game-servers/gs-1/software")
          .then()
          .spec(problem(400, "INVALID_SW_HASH"));
    }
    assertThat(storedHashes("gs-1")).isEmpty();
  }

  @Test
  void allow_noBody_returns400() {
    enroll("gs-1");
    asAdmin()
        .when()
        .post("/api/game-servers/gs-1/software")
        .then()
        .spec(problem(400, "INVALID_BODY"));
  }

  @Test
  void allow_invalidGameServerId_returns400() {
    asAdmin()
        .body(Map.of("swHash", newSwHash()))
        .when()
        .post("/api/game-servers/-gs/software")
        .then()
        .spec(problem(400, "INVALID_GS_ID"));
  }

  @Test
  void allow_withoutToken_returns401() {
    enroll("gs-1");
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("swHash", newSwHash()))
        .when()
        .post("/api/game-servers/gs-1/software")
        .then()
        .spec(problem(401, "UNAUTHORIZED"));
    assertThat(storedHashes("gs-1")).isEmpty();
  }

  @Test
  void allow_operatorToken_returns403() {
    enroll("gs-1");
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .contentType(ContentType.JSON)
        .body(Map.of("swHash", newSwHash()))
        .when()
        .post("/api/game-servers/gs-1/software")
        .then()
        .spec(problem(403, "FORBIDDEN"));
    assertThat(storedHashes("gs-1")).isEmpty();
  }

  // --- DELETE /api/game-servers/{id}/software/{swHash} ---------------------------------------

  @Test
  void disallow_allowedHash_returns204AndRemovesOnlyIt() {
    String kept = newSwHash();
    String removed = newSwHash();
    enroll("gs-1", kept, removed);

    asAdmin().when().delete("/api/game-servers/gs-1/software/" + removed).then().statusCode(204);

    assertThat(storedHashes("gs-1")).containsExactly(kept);
  }

  @Test
  void disallow_hashNotOnTheList_returns404() {
    enroll("gs-1", newSwHash());

    asAdmin()
        .when()
        .delete("/api/game-servers/gs-1/software/" + newSwHash())
        .then()
        .spec(problem(404, "SOFTWARE_NOT_FOUND"));
  }

  @Test
  void disallow_unknownGameServer_returns404() {
    asAdmin()
        .when()
        .delete("/api/game-servers/gs-nobody/software/" + newSwHash())
        .then()
        .spec(problem(404, "GAME_SERVER_NOT_FOUND"));
  }

  @Test
  void disallow_revokedGameServer_returns409() {
    String sw = newSwHash();
    enroll("gs-1", sw);
    AdminFixtures.revoke("gs-1");

    asAdmin()
        .when()
        .delete("/api/game-servers/gs-1/software/" + sw)
        .then()
        .spec(problem(409, "GAME_SERVER_REVOKED"));
    assertThat(storedHashes("gs-1")).containsExactly(sw);
  }

  @Test
  void disallow_malformedHash_returns400() {
    enroll("gs-1");
    asAdmin()
        .when()
        .delete("/api/game-servers/gs-1/software/xyz")
        .then()
        .spec(problem(400, "INVALID_SW_HASH"));
  }

  @Test
  void disallow_withoutToken_returns401() {
    String sw = newSwHash();
    enroll("gs-1", sw);
    given()
        .when()
        .delete("/api/game-servers/gs-1/software/" + sw)
        .then()
        .spec(problem(401, "UNAUTHORIZED"));
    assertThat(storedHashes("gs-1")).containsExactly(sw);
  }

  @Test
  void disallow_operatorToken_returns403() {
    String sw = newSwHash();
    enroll("gs-1", sw);
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .delete("/api/game-servers/gs-1/software/" + sw)
        .then()
        .spec(problem(403, "FORBIDDEN"));
    assertThat(storedHashes("gs-1")).containsExactly(sw);
  }
}
