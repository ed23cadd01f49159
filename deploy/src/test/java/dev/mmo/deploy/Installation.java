package dev.mmo.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each Kustomize directory is expected to be: the objects it refers to without containing them
 * (docs/deploy.md, "Secrets and site data"), and the connections its network policies must allow,
 * no more and no fewer.
 */
record Installation(String dir, Set<String> external, List<Edge> allowed, List<Target> outside) {
  /** A connection one pod may open to a port of another pod. */
  record Edge(String from, String to, int port) {}

  /** An address outside the cluster and a port on it. */
  record Target(String ip, int port) {}

  private static final Set<String> BASE_EXTERNAL =
      Set.of(
          "Secret/mmo-vs-hsm",
          "Secret/mmo-vs-db",
          "Secret/mmo-vs-rabbitmq",
          "Secret/mmo-gs-key",
          "ConfigMap/mmo-vs-jwt",
          "ConfigMap/mmo-gs-trust-anchors");

  /** A player somewhere on the Internet (TEST-NET-3). */
  static final String PLAYER = "203.0.113.7";

  /** The managed services and HSM addresses of the prod overlay, a port each. */
  private static final List<Target> PROD_SERVICES =
      List.of(
          new Target("10.40.1.5", 5432),
          new Target("10.40.2.5", 6379),
          new Target("10.40.3.5", 5671),
          new Target("10.40.4.10", 2223),
          new Target("10.40.4.11", 2225));

  private static final Edge GS_TO_VS = new Edge("mmo-gs", "mmo-vs", 8080);

  static Installation of(String dir) {
    switch (dir) {
      case "base":
        return new Installation(dir, BASE_EXTERNAL, List.of(GS_TO_VS), List.of());
      case "overlays/dev":
        return new Installation(
            dir,
            BASE_EXTERNAL,
            List.of(
                GS_TO_VS,
                new Edge("mmo-vs", "mmo-redis", 6379),
                new Edge("mmo-vs", "mmo-postgresql", 5432),
                new Edge("mmo-vs", "mmo-rabbitmq", 5672)),
            List.of());
      case "overlays/prod":
        Set<String> external = new java.util.HashSet<>(BASE_EXTERNAL);
        external.addAll(
            Set.of("Secret/mmo-vs-redis", "Secret/mmo-hsm-client", "ConfigMap/mmo-managed-ca"));
        return new Installation(dir, Set.copyOf(external), List.of(GS_TO_VS), PROD_SERVICES);
      default:
        throw new IllegalArgumentException(
            "no expectations for k8s/" + dir + ": add them to Installation");
    }
  }

  /**
   * Every external address a test probes: the player, the services, and what else a pod might want.
   */
  List<Target> probedOutside() {
    List<Target> out = new ArrayList<>(PROD_SERVICES);
    out.add(new Target(PLAYER, 443));
    out.add(new Target(PLAYER, 80));
    out.add(new Target("10.0.0.1", 443));
    return out;
  }

  /** The pods of a render, by workload name. */
  static Map<String, NetworkPolicies.Pod> pods(List<Manifest> manifests) {
    Map<String, NetworkPolicies.Pod> out = new java.util.LinkedHashMap<>();
    for (Manifest m : manifests) {
      if (m.isWorkload()) {
        out.put(
            m.name(),
            new NetworkPolicies.Pod(
                m.name(), m.namespace(), m.podLabels(), DeploymentRules.containerPorts(m)));
      }
    }
    return out;
  }
}
