package dev.mmo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each rule catches what it is for: the dev render, broken one way at a time. */
class DeploymentRulesTest {
  private static String rendered;

  @BeforeAll
  static void render() throws Exception {
    rendered = Overlays.renderText("overlays/dev");
  }

  /** A fresh parse of the dev render, changed by {@code change}, then checked. */
  private static List<String> violationsAfter(Consumer<List<Manifest>> change) {
    List<Manifest> manifests = new ArrayList<>(Manifest.parseAll(rendered));
    change.accept(manifests);
    return DeploymentRules.check(manifests, Installation.of("overlays/dev").external());
  }

  private static Manifest find(List<Manifest> manifests, String kind, String name) {
    for (Manifest m : manifests) {
      if (m.kind().equals(kind) && m.name().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no " + kind + " " + name);
  }

  private static Map<String, Object> container(List<Manifest> manifests, String deployment) {
    return find(manifests, "Deployment", deployment).containers().get(0);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> env(Map<String, Object> container) {
    return (List<Object>) container.get("env");
  }

  @Test
  void check_untouchedDevRender_passes() {
    assertThat(violationsAfter(manifests -> {})).isEmpty();
  }

  @Test
  void check_missingReadinessProbe_reported() {
    assertThat(violationsAfter(m -> container(m, "mmo-gs").remove("readinessProbe")))
        .anyMatch(v -> v.contains("mmo-gs") && v.contains("no readinessProbe"));
  }

  @Test
  void check_missingLimits_reported() {
    assertThat(
            violationsAfter(
                m -> Tree.map(container(m, "mmo-vs").get("resources"), "r").remove("limits")))
        .anyMatch(v -> v.contains("no resources.limits.memory"));
  }

  @Test
  void check_literalPin_reported() {
    assertThat(
            violationsAfter(
                m -> {
                  Map<String, Object> pin = new LinkedHashMap<>();
                  pin.put("name", "MMO_HSM_PIN");
                  pin.put("value", "1234");
                  List<Object> env = env(container(m, "mmo-vs"));
                  env.removeIf(e -> "MMO_HSM_PIN".equals(Tree.at(e, "name")));
                  env.add(pin);
                }))
        .anyMatch(v -> v.contains("MMO_HSM_PIN to a literal value"))
        .anyMatch(v -> v.contains("MMO_HSM_PIN does not come from a Secret"));
  }

  @Test
  void check_committedSecret_reported() {
    String secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ndata:\n  pin: MTIzNA==\n";
    assertThat(violationsAfter(m -> m.addAll(Manifest.parseAll(secret))))
        .anyMatch(v -> v.contains("a Secret with values is committed"));
  }

  @Test
  void check_passwordInAConfigMap_reported() {
    String configMap =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"
            + "  QUARKUS_REDIS_HOSTS: rediss://:hunter2@redis:6380/0\n";
    assertThat(violationsAfter(m -> m.addAll(Manifest.parseAll(configMap))))
        .anyMatch(v -> v.contains("secret-looking text"));
  }

  @Test
  void check_singleVsReplica_reported() {
    assertThat(
            violationsAfter(
                m ->
                    Tree.map(find(m, "Deployment", "mmo-vs").tree().get("spec"), "spec")
                        .put("replicas", 1)))
        .anyMatch(v -> v.contains("fewer than 2 replicas"));
  }

  @Test
  void check_noDisruptionBudget_reported() {
    assertThat(violationsAfter(m -> m.removeIf(x -> x.kind().equals("PodDisruptionBudget"))))
        .anyMatch(v -> v.contains("no PodDisruptionBudget"));
  }

  @Test
  void check_publishedManagementPort_reported() {
    assertThat(
            violationsAfter(
                m ->
                    Tree.map(
                            Tree.list(Tree.at(find(m, "Service", "mmo-vs").tree(), "spec", "ports"))
                                .get(0),
                            "port")
                        .put("targetPort", "management")))
        .anyMatch(v -> v.contains("publishes the VS management port"));
  }

  @Test
  void check_managementInterfaceOnLoopback_reported() {
    assertThat(
            violationsAfter(
                m ->
                    env(container(m, "mmo-vs"))
                        .removeIf(e -> "MMO_VS_MANAGEMENT_HOST".equals(Tree.at(e, "name")))))
        .anyMatch(v -> v.contains("mmo-vs") && v.contains("MMO_VS_MANAGEMENT_HOST"));
  }

  @Test
  void check_unknownConfigMapReference_reported() {
    assertThat(
            violationsAfter(
                m -> {
                  Map<String, Object> ref = new LinkedHashMap<>();
                  ref.put("configMapRef", new LinkedHashMap<>(Map.of("name", "nowhere")));
                  @SuppressWarnings("unchecked")
                  List<Object> envFrom = (List<Object>) container(m, "mmo-gs").get("envFrom");
                  envFrom.add(ref);
                }))
        .anyMatch(v -> v.contains("ConfigMap/nowhere"));
  }

  @Test
  void check_latestImageAndMountedToken_reported() {
    assertThat(
            violationsAfter(
                m -> {
                  container(m, "mmo-gs").put("image", "mmo-gs:latest");
                  find(m, "Deployment", "mmo-gs")
                      .podSpec()
                      .put("automountServiceAccountToken", true);
                }))
        .anyMatch(v -> v.contains("not pinned"))
        .anyMatch(v -> v.contains("mounts a service account token"));
  }

  @Test
  void check_writableRootOfAProjectImage_reported() {
    assertThat(
            violationsAfter(
                m ->
                    Tree.map(container(m, "mmo-vs").get("securityContext"), "sc")
                        .put("readOnlyRootFilesystem", false)))
        .anyMatch(v -> v.contains("writable root file system"));
  }

  @Test
  void check_hsmConfigNotMounted_reported() {
    assertThat(
            violationsAfter(
                m -> {
                  @SuppressWarnings("unchecked")
                  List<Object> mounts = (List<Object>) container(m, "mmo-vs").get("volumeMounts");
                  mounts.removeIf(x -> "hsm-config".equals(Tree.at(x, "name")));
                }))
        .anyMatch(v -> v.contains("MMO_HSM_CONFIG"));
  }

  @Test
  void check_tokenJobMakesAnotherAlias_reported() {
    assertThat(
            violationsAfter(
                m -> {
                  for (Object e : env(find(m, "Job", "mmo-softhsm-init").containers().get(0))) {
                    if ("MMO_HSM_KEY_ALIAS".equals(Tree.at(e, "name"))) {
                      Tree.map(e, "env").put("value", "mmo-vs-2");
                    }
                  }
                }))
        .anyMatch(v -> v.contains("MMO_HSM_KEY_ALIAS differs"));
  }
}
