package dev.mmo.vs.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /q/openapi describes every admin operation, its errors as problem details. */
@QuarkusTest
class OpenApiTest {
  private static final Map<String, List<String>> OPERATIONS =
      Map.ofEntries(
          Map.entry("/api/game-servers", List.of("get", "post")),
          Map.entry("/api/game-servers/{id}", List.of("get")),
          Map.entry("/api/game-servers/{id}/software", List.of("post")),
          Map.entry("/api/game-servers/{id}/software/{swHash}", List.of("delete")),
          Map.entry("/api/game-servers/{id}/revoke", List.of("post")),
          Map.entry("/api/sessions", List.of("get")),
          Map.entry("/api/sessions/{id}", List.of("get")),
          Map.entry("/api/sessions/{id}/receipts", List.of("get")),
          Map.entry("/api/sessions/{id}/receipts/verify", List.of("post")),
          Map.entry("/api/sessions/{id}/revocations", List.of("get")),
          Map.entry("/api/revocations", List.of("get")),
          Map.entry("/api/trust-anchors", List.of("get")));

  @Test
  void openApi_everyAdminOperation_hasASummaryADescriptionAndProblemErrors() {
    JsonPath doc =
        given()
            .queryParam("format", "json")
            .when()
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    List<String> failures = new ArrayList<>();
    OPERATIONS.forEach(
        (path, methods) -> {
          for (String method : methods) {
            Map<String, Object> op = doc.getMap("paths.'" + path + "'." + method);
            if (op == null) {
              failures.add(method + " " + path + ": missing");
              continue;
            }
            if (op.get("summary") == null || op.get("description") == null) {
              failures.add(method + " " + path + ": no summary or description");
            }
            Map<?, ?> responses = (Map<?, ?>) op.get("responses");
            boolean anError =
                responses.keySet().stream().anyMatch(s -> s.toString().matches("[45]\\d\\d"));
            if (!anError) {
              failures.add(method + " " + path + ": documents no error response");
            }
          }
        });
    assertThat(failures).isEmpty();

    assertThat(doc.getMap("components.responses.NotFound.content").keySet())
        .containsExactly("application/problem+json");
    assertThat(doc.getMap("components.schemas.Problem.properties").keySet())
        .contains("type", "title", "status", "detail", "code");
  }
}
