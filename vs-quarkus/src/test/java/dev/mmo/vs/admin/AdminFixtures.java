package dev.mmo.vs.admin;

import static io.restassured.RestAssured.given;

import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import io.restassured.http.ContentType;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Game servers and hashes for the admin API tests, made through the API itself. */
public final class AdminFixtures {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AdminFixtures() {}

  /** A valid Ed25519 public key, lowercase hex. */
  public static String newPublicKey() {
    return Ed25519KeyPair.generate(RANDOM).publicKey().hex();
  }

  /** A random software hash, lowercase hex. */
  public static String newSwHash() {
    byte[] hash = new byte[Hash.LENGTH];
    RANDOM.nextBytes(hash);
    return HexFormat.of().formatHex(hash);
  }

  /** Enrolls {@code id} with a fresh key and {@code software}; returns the key's hex. */
  public static String enroll(String id, String... software) {
    String publicKey = newPublicKey();
    Map<String, Object> body = new HashMap<>();
    body.put("id", id);
    body.put("publicKey", publicKey);
    body.put("allowedSoftware", List.of(software));
    given()
        .auth()
        .oauth2(TestTokens.admin())
        .contentType(ContentType.JSON)
        .body(body)
        .when()
        .post("/api/game-servers")
        .then()
        .statusCode(201);
    return publicKey;
  }

  public static void revoke(String id) {
    given()
        .auth()
        .oauth2(TestTokens.admin())
        .contentType(ContentType.JSON)
        .body(Map.of("reason", "test"))
        .when()
        .post("/api/game-servers/" + id + "/revoke")
        .then()
        .statusCode(200);
  }
}
