package dev.mmo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemasTest {
  private static final String DEPLOYMENT =
      String.join(
          "\n",
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata:",
          "  name: demo",
          "  labels:",
          "    app: demo",
          "spec:",
          "  replicas: 2",
          "  selector:",
          "    matchLabels:",
          "      app: demo",
          "  template:",
          "    metadata:",
          "      labels:",
          "        app: demo",
          "    spec:",
          "      containers:",
          "        - name: demo",
          "          image: demo:1",
          "          ports:",
          "            - containerPort: 8080",
          "");

  private static List<String> violations(String yaml) {
    return Schemas.violations(Manifest.parseAll(yaml).get(0));
  }

  @Test
  void violations_validDeployment_none() {
    assertThat(violations(DEPLOYMENT)).isEmpty();
  }

  @Test
  void violations_misspelledField_rejected() {
    assertThat(violations(DEPLOYMENT.replace("  replicas: 2", "  replica: 2")))
        .singleElement()
        .asString()
        .contains("replica");
  }

  @Test
  void violations_unknownFieldDeepInThePodSpec_rejected() {
    assertThat(violations(DEPLOYMENT.replace("- containerPort: 8080", "- containerPrt: 8080")))
        .singleElement()
        .asString()
        .contains("containerPrt");
  }

  @Test
  void violations_missingRequiredField_rejected() {
    assertThat(
            violations(
                DEPLOYMENT.replace("        - name: demo\n          image", "        - image")))
        .singleElement()
        .asString()
        .contains("name");
  }

  @Test
  void violations_wrongScalarType_rejected() {
    assertThat(violations(DEPLOYMENT.replace("replicas: 2", "replicas: two"))).isNotEmpty();
  }

  @Test
  void violations_listWhereAnObjectBelongs_rejected() {
    assertThat(violations(DEPLOYMENT.replace("  selector:\n", "  selector: []\n  unused:\n")))
        .isNotEmpty();
  }

  @Test
  void violations_labelThatIsNotAString_rejected() {
    assertThat(violations(DEPLOYMENT.replace("    app: demo\nspec", "    version: 1\nspec")))
        .singleElement()
        .asString()
        .contains("metadata.labels.version");
  }

  @Test
  void violations_kindWithoutSchema_rejected() {
    assertThat(violations("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"))
        .singleElement()
        .asString()
        .contains("no schema");
  }
}
