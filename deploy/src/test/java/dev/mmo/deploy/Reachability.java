package dev.mmo.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Network-policy checks of a render against what its installation must allow. */
final class Reachability {
  private Reachability() {}

  /**
   * Pods that only the namespace-wide default-deny covers, and a missing default-deny: every pod
   * must have a policy of its own for both directions, so its intended traffic is written down.
   */
  static List<String> uncovered(List<Manifest> manifests) {
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
    return violations;
  }

  /**
   * Every connection whose fate differs from the installation's expectations, over every pair of
   * pods and every container port, a player on the Internet, a Prometheus in the namespace
   * "monitoring", cluster DNS, and the addresses outside the cluster.
   */
  static List<String> unexpected(Installation expected, List<Manifest> manifests) {
    NetworkPolicies policies = new NetworkPolicies(manifests);
    Map<String, NetworkPolicies.Pod> pods = Installation.pods(manifests);
    List<String> wrong = new ArrayList<>();
    for (String name : List.of("mmo-vs", "mmo-gs")) {
      if (!pods.containsKey(name)) {
        wrong.add("no workload " + name);
      }
    }
    for (Installation.Edge edge : expected.allowed()) {
      if (!pods.containsKey(edge.from()) || !pods.containsKey(edge.to())) {
        wrong.add("expected " + edge + ", but a pod is missing");
      }
    }
    NetworkPolicies.Endpoint player = new NetworkPolicies.External(Installation.PLAYER);
    NetworkPolicies.Endpoint prometheus =
        new NetworkPolicies.Pod("prometheus", "monitoring", Map.of(), Map.of());
    NetworkPolicies.Endpoint dns =
        new NetworkPolicies.Pod("coredns", "kube-system", Map.of("k8s-app", "kube-dns"), Map.of());
    for (NetworkPolicies.Pod to : pods.values()) {
      for (int port : to.ports().values()) {
        for (NetworkPolicies.Pod from : pods.values()) {
          boolean want =
              expected.allowed().contains(new Installation.Edge(from.name(), to.name(), port));
          check(wrong, policies, from, to, port, want);
        }
        check(wrong, policies, player, to, port, to.name().equals("mmo-gs") && port == 7000);
        // Prometheus scrapes the management ports; like anyone, it may also play.
        boolean scrape = (to.name().equals("mmo-vs") && port == 9000) || to.name().equals("mmo-gs");
        check(wrong, policies, prometheus, to, port, scrape);
      }
    }
    for (NetworkPolicies.Pod from : pods.values()) {
      check(wrong, policies, from, dns, 53, true);
      for (Installation.Target target : expected.probedOutside()) {
        boolean want = from.name().equals("mmo-vs") && expected.outside().contains(target);
        NetworkPolicies.Endpoint to = new NetworkPolicies.External(target.ip());
        check(wrong, policies, from, to, target.port(), want);
      }
    }
    return wrong;
  }

  private static void check(
      List<String> wrong,
      NetworkPolicies policies,
      NetworkPolicies.Endpoint from,
      NetworkPolicies.Endpoint to,
      int port,
      boolean want) {
    if (policies.allows(from, to, port) != want) {
      wrong.add(
          name(from) + " -> " + name(to) + ":" + port + (want ? " is refused" : " is allowed"));
    }
  }

  private static String name(NetworkPolicies.Endpoint endpoint) {
    if (endpoint instanceof NetworkPolicies.Pod) {
      NetworkPolicies.Pod pod = (NetworkPolicies.Pod) endpoint;
      return pod.namespace() + "/" + pod.name();
    }
    return ((NetworkPolicies.External) endpoint).ip();
  }
}
