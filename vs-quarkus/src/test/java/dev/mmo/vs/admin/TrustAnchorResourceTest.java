package dev.mmo.vs.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** GET /api/trust-anchors: public, the key on the project-local SoftHSM token. */
@QuarkusTest
class TrustAnchorResourceTest {
  /** Written by infra/softhsm/init-token.sh from the token's certificate, with openssl. */
  private static final Path HSM_WORK = Path.of("..", "infra", "softhsm", "work");

  @Test
  void anchors_withoutToken_returnTheHsmKeyUnderItsKeyId() throws Exception {
    JsonPath anchors =
        given()
            .when()
            .get("/api/trust-anchors")
            .then()
            .statusCode(200)
            .contentType("application/json")
            .extract()
            .jsonPath();

    assertThat(anchors.getList("$")).hasSize(1);
    String keyId = anchors.getString("[0].keyId");
    String point = anchors.getString("[0].publicKey");
    String pem = anchors.getString("[0].publicKeyPem");

    assertThat(keyId).isEqualTo(Files.readString(HSM_WORK.resolve("vs-key-id.txt")).trim());
    assertThat(pem.strip())
        .isEqualTo(Files.readString(HSM_WORK.resolve("vs-public-key.pem")).strip());

    // key_id = SHA-256 of the DER SubjectPublicKeyInfo; the point is its last 65 bytes.
    byte[] spki = derOf(pem);
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki)))
        .isEqualTo(keyId);
    assertThat(point).matches("04[0-9a-f]{128}");
    assertThat(HexFormat.of().formatHex(spki, spki.length - 65, spki.length)).isEqualTo(point);
  }

  @Test
  void anchors_withAValidToken_answerAlike() {
    String withoutToken =
        given().get("/api/trust-anchors").then().statusCode(200).extract().asString();

    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/trust-anchors")
        .then()
        .statusCode(200)
        .body(org.hamcrest.Matchers.equalTo(withoutToken));
  }

  /** Quarkus authenticates every request that carries credentials, even to a public path. */
  @Test
  void anchors_withAnInvalidToken_returns401() {
    given()
        .auth()
        .oauth2(TestTokens.expired())
        .when()
        .get("/api/trust-anchors")
        .then()
        .spec(Problems.problem(401, "UNAUTHORIZED"));
  }

  private static byte[] derOf(String pem) {
    assertThat(pem)
        .startsWith("-----BEGIN PUBLIC KEY-----\n")
        .endsWith("-----END PUBLIC KEY-----\n");
    String base64 =
        pem.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    return Base64.getDecoder().decode(base64);
  }
}
