package dev.mmo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OverlayRulesTest {
  static List<String> overlays() throws Exception {
    return Overlays.all();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void render_followsTheDeploymentRules(String overlay) throws Exception {
    Installation expected = Installation.of(overlay);
    assertThat(DeploymentRules.check(Overlays.render(overlay), expected.external())).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void render_holdsNoDevelopmentSecret(String overlay) throws Exception {
    assertThat(Overlays.renderText(overlay)).doesNotContain("mmo-dev-pin", "guest:guest");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void networkPolicies_coverEveryPodExplicitly(String overlay) throws Exception {
    List<Manifest> manifests = Overlays.render(overlay);
    NetworkPolicies policies = new NetworkPolicies(manifests);
    List<String> violations = new ArrayList<>();
    boolean defaultDeny = false;
    for (Manifest m : manifests) {
      if (m.kind().equals("NetworkPolicy")
          && Tree.mapOrEmpty(Tree.at(m.tree(), "spec", "podSelector")).isEmpty()
          && Tree.list(Tree.at(m.tree(), "spec", "policyTypes"))
              .containsAll(List.of("Ingress", "Egress"))
          && Tree.at(m.tree(), "spec", "ingress") == null
          && Tree.at(m.tree(), "spec", "egress") == null) {
        defaultDeny = true;
      }
    }
    if (!defaultDeny) {
      violations.add("no default-deny policy for ingress and egress");
    }
    for (NetworkPolicies.Pod pod : Installation.pods(manifests).values()) {
      for (String direction : List.of("Ingress", "Egress")) {
        boolean explicit = false;
        for (Manifest p : policies.selecting(pod, direction)) {
          explicit |= !Tree.mapOrEmpty(Tree.at(p.tree(), "spec", "podSelector")).isEmpty();
        }
        if (!explicit) {
          violations.add(pod.name() + ": no policy of its own for " + direction);
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void networkPolicies_allowExactlyTheExpectedConnections(String overlay) throws Exception {
    Installation expected = Installation.of(overlay);
    List<Manifest> manifests = Overlays.render(overlay);
    NetworkPolicies policies = new NetworkPolicies(manifests);
    Map<String, NetworkPolicies.Pod> pods = Installation.pods(manifests);
    assertThat(pods).containsKeys("mmo-vs", "mmo-gs");
    for (Installation.Edge edge : expected.allowed()) {
      assertThat(pods).as("pods named by %s", edge).containsKeys(edge.from(), edge.to());
    }
    NetworkPolicies.Endpoint player = new NetworkPolicies.External(Installation.PLAYER);
    NetworkPolicies.Endpoint prometheus =
        new NetworkPolicies.Pod("prometheus", "monitoring", Map.of(), Map.of());
    NetworkPolicies.Endpoint dns =
        new NetworkPolicies.Pod("coredns", "kube-system", Map.of("k8s-app", "kube-dns"), Map.of());

    List<String> wrong = new ArrayList<>();
    for (NetworkPolicies.Pod to : pods.values()) {
      for (Map.Entry<String, Integer> port : to.ports().entrySet()) {
        int p = port.getValue();
        for (NetworkPolicies.Pod from : pods.values()) {
          boolean want =
              expected.allowed().contains(new Installation.Edge(from.name(), to.name(), p));
          check(wrong, policies, from, to, p, want);
        }
        check(wrong, policies, player, to, p, to.name().equals("mmo-gs") && p == 7000);
        check(
            wrong,
            policies,
            prometheus,
            to,
            p,
            // Prometheus scrapes the management ports; like anyone, it may also play.
            (to.name().equals("mmo-vs") && p == 9000) || to.name().equals("mmo-gs"));
      }
    }
    for (NetworkPolicies.Pod from : pods.values()) {
      check(wrong, policies, from, dns, 53, true);
      for (Installation.Target target : expected.probedOutside()) {
        boolean want = from.name().equals("mmo-vs") && expected.outside().contains(target);
        check(
            wrong, policies, from, new NetworkPolicies.External(target.ip()), target.port(), want);
      }
    }
    assertThat(wrong).isEmpty();
  }

  private static void check(
      List<String> wrong,
      NetworkPolicies policies,
      NetworkPolicies.Endpoint from,
      NetworkPolicies.Endpoint to,
      int port,
      boolean want) {
    if (policies.allows(from, to, port) != want) {
      wrong.add(from + " -> " + to + ":" + port + (want ? " is refused" : " is allowed"));
    }
  }
}
