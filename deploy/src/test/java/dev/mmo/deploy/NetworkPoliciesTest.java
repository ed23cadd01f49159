package dev.mmo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkPoliciesTest {
  private static final NetworkPolicies.Pod WEB =
      new NetworkPolicies.Pod("web", "shop", Map.of("app", "web"), Map.of("http", 8080));
  private static final NetworkPolicies.Pod DB =
      new NetworkPolicies.Pod("db", "shop", Map.of("app", "db", "tier", "data"), Map.of());
  private static final NetworkPolicies.Pod OTHER =
      new NetworkPolicies.Pod("other", "elsewhere", Map.of("app", "web"), Map.of());

  private static NetworkPolicies policies(String... yaml) {
    List<Manifest> manifests = new ArrayList<>();
    for (String y : yaml) {
      manifests.addAll(Manifest.parseAll(y));
    }
    return new NetworkPolicies(manifests);
  }

  private static String policy(String name, String spec) {
    return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: "
        + name
        + "\n  namespace: shop\nspec:\n"
        + spec;
  }

  private static final String DENY_ALL =
      policy("deny", "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n");

  @Test
  void allows_noPolicies_everything() {
    assertThat(policies().allows(WEB, DB, 5432)).isTrue();
  }

  @Test
  void allows_defaultDeny_nothing() {
    NetworkPolicies p = policies(DENY_ALL);
    assertThat(p.allows(WEB, DB, 5432)).isFalse();
    assertThat(p.allows(new NetworkPolicies.External("198.51.100.1"), WEB, 8080)).isFalse();
  }

  @Test
  void allows_needsBothEgressAndIngress() {
    String dbIngress =
        policy(
            "db-in",
            "  podSelector:\n    matchLabels: {app: db}\n  policyTypes: [Ingress]\n"
                + "  ingress:\n    - from:\n        - podSelector:\n            matchLabels: {app: web}\n"
                + "      ports:\n        - port: 5432\n");
    String webEgress =
        policy(
            "web-out",
            "  podSelector:\n    matchLabels: {app: web}\n  policyTypes: [Egress]\n"
                + "  egress:\n    - to:\n        - podSelector:\n            matchExpressions:\n"
                + "              - {key: tier, operator: In, values: [data]}\n");
    assertThat(policies(DENY_ALL, dbIngress).allows(WEB, DB, 5432)).isFalse();
    NetworkPolicies p = policies(DENY_ALL, dbIngress, webEgress);
    assertThat(p.allows(WEB, DB, 5432)).isTrue();
    assertThat(p.allows(WEB, DB, 5433)).isFalse();
    assertThat(p.allows(DB, WEB, 8080)).isFalse();
    // A pod with the same labels in another namespace is not the policy's peer.
    assertThat(p.allows(OTHER, DB, 5432)).isFalse();
  }

  @Test
  void allows_namedPortAndNamespaceSelector() {
    String webIngress =
        policy(
            "web-in",
            "  podSelector:\n    matchLabels: {app: web}\n  policyTypes: [Ingress]\n"
                + "  ingress:\n    - from:\n        - namespaceSelector:\n"
                + "            matchLabels: {kubernetes.io/metadata.name: elsewhere}\n"
                + "      ports:\n        - port: http\n");
    NetworkPolicies p = policies(webIngress);
    assertThat(p.allows(OTHER, WEB, 8080)).isTrue();
    assertThat(p.allows(OTHER, WEB, 8081)).isFalse();
    assertThat(p.allows(DB, WEB, 8080)).isFalse();
  }

  @Test
  void allows_ipBlockWithExceptAndPortRange() {
    String egress =
        policy(
            "web-out",
            "  podSelector:\n    matchLabels: {app: web}\n  policyTypes: [Egress]\n"
                + "  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.1.0.0/16\n"
                + "            except: [10.1.9.0/24]\n"
                + "      ports:\n        - {protocol: TCP, port: 2223, endPort: 2225}\n");
    NetworkPolicies p = policies(egress);
    assertThat(p.allows(WEB, new NetworkPolicies.External("10.1.2.3"), 2224)).isTrue();
    assertThat(p.allows(WEB, new NetworkPolicies.External("10.1.2.3"), 2226)).isFalse();
    assertThat(p.allows(WEB, new NetworkPolicies.External("10.1.9.3"), 2224)).isFalse();
    assertThat(p.allows(WEB, new NetworkPolicies.External("10.2.0.1"), 2224)).isFalse();
    // An ipBlock never stands for pods.
    assertThat(p.allows(WEB, DB, 2224)).isFalse();
  }

  @Test
  void reachability_gsOpenedToEverything_reported() throws Exception {
    List<Manifest> manifests = Overlays.render("overlays/dev");
    for (Manifest m : manifests) {
      if (m.kind().equals("NetworkPolicy")
          && (m.name().equals("mmo-gs") || m.name().equals("mmo-redis"))) {
        String rules = m.name().equals("mmo-gs") ? "egress" : "ingress";
        List<Object> open = new ArrayList<>();
        open.add(new LinkedHashMap<>());
        Tree.map(m.tree().get("spec"), "spec").put(rules, open);
      }
    }
    assertThat(Reachability.unexpected(Installation.of("overlays/dev"), manifests))
        .contains("mmo-dev/mmo-gs -> mmo-dev/mmo-redis:6379 is allowed")
        .contains("mmo-dev/mmo-gs -> 203.0.113.7:443 is allowed");
  }

  @Test
  void reachability_policyOfAPodRemoved_reported() throws Exception {
    List<Manifest> manifests = Overlays.render("overlays/dev");
    manifests.removeIf(
        m -> m.kind().equals("NetworkPolicy") && m.name().equals("mmo-softhsm-init"));
    assertThat(Reachability.uncovered(manifests))
        .contains("mmo-softhsm-init: no policy of its own for Ingress");
  }
}
