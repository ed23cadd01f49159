package dev.mmo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmo.protocol.bytes.Hex;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.VsProofVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** The VS admin API as an operator calls it: a bearer token from the dev key (infra/jwt). */
final class Admin {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newHttpClient();

  private Admin(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  static Admin of(Vs vs) throws Exception {
    List<String> minted =
        Stack.run(
            Stack.ROOT,
            Stack.ROOT.resolve("infra/jwt/mint-token.sh").toString(),
            "admin",
            "e2e",
            "3600");
    return new Admin(vs.http(), minted.get(minted.size() - 1).trim());
  }

  /** POSTs {@code body} and checks the status; the response body. */
  JsonNode post(String path, String body, int expectedStatus) throws Exception {
    HttpResponse<String> response =
        send(
            request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(response.statusCode())
        .as("POST %s: %s", path, response.body())
        .isEqualTo(expectedStatus);
    return JSON.readTree(response.body());
  }

  JsonNode get(String path) throws Exception {
    HttpResponse<String> response = send(request(path).GET().build());
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** The VS public keys, as the uncompressed points the GS's trust-anchor file holds. */
  List<String> trustAnchors() throws Exception {
    List<String> keys = new ArrayList<>();
    for (JsonNode anchor : get("/api/trust-anchors")) {
      keys.add(anchor.get("publicKey").asText());
    }
    return keys;
  }

  /** A verifier of VS proofs that trusts exactly the VS's published anchors. */
  VsProofVerifier proofVerifier() throws Exception {
    List<EcdsaP256PublicKey> keys = new ArrayList<>();
    for (String key : trustAnchors()) {
      keys.add(EcdsaP256PublicKey.fromUncompressedPoint(Hex.decode(key)));
    }
    return new VsProofVerifier(TrustAnchors.of(keys));
  }

  /** The bearer token, for tools that call the API themselves (the auditor). */
  String token() {
    return token;
  }

  /** Sends, and as a well-behaved client waits and asks again while the VS answers 429. */
  private HttpResponse<String> send(HttpRequest request) throws Exception {
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 429 || attempt == 5) {
        return response;
      }
      long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
      Thread.sleep(Math.min(10, Math.max(1, seconds)) * 1000);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
  }
}
