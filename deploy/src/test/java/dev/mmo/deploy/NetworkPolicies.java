package dev.mmo.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the rendered NetworkPolicies allow, decided as the Kubernetes API defines it: a pod that no
 * policy of a direction selects is open in that direction; otherwise a connection must match a rule
 * of some policy that selects it. A connection needs both the source's egress and the destination's
 * ingress. Pod addresses never match an ipBlock here (the API leaves that to the network plugin, so
 * nothing may rely on it).
 */
final class NetworkPolicies {
  /** A pod: its namespace, labels and named container ports. */
  record Pod(String name, String namespace, Map<String, String> labels, Map<String, Integer> ports)
      implements Endpoint {}

  /** An address outside the cluster (a player, a managed service, the HSM). */
  record External(String ip) implements Endpoint {}

  /** One side of a connection. */
  sealed interface Endpoint permits Pod, External {}

  private final List<Manifest> policies;

  NetworkPolicies(List<Manifest> manifests) {
    this.policies = new ArrayList<>();
    for (Manifest m : manifests) {
      if (m.kind().equals("NetworkPolicy")) {
        policies.add(m);
      }
    }
  }

  /** Whether {@code from} may open a TCP connection to {@code port} of {@code to}. */
  boolean allows(Endpoint from, Endpoint to, int port) {
    return egressAllows(from, to, port) && ingressAllows(from, to, port);
  }

  /** The policies that select {@code pod} for {@code direction} ("Ingress" or "Egress"). */
  List<Manifest> selecting(Pod pod, String direction) {
    List<Manifest> out = new ArrayList<>();
    for (Manifest p : policies) {
      if (p.namespace().equals(pod.namespace())
          && types(p).contains(direction)
          && Selectors.matches(Tree.at(p.tree(), "spec", "podSelector"), pod.labels())) {
        out.add(p);
      }
    }
    return out;
  }

  private boolean egressAllows(Endpoint from, Endpoint to, int port) {
    if (!(from instanceof Pod)) {
      return true;
    }
    List<Manifest> selecting = selecting((Pod) from, "Egress");
    if (selecting.isEmpty()) {
      return true;
    }
    for (Manifest p : selecting) {
      for (Object rule : Tree.list(Tree.at(p.tree(), "spec", "egress"))) {
        if (peersMatch(Tree.at(rule, "to"), p.namespace(), to)
            && portsMatch(Tree.at(rule, "ports"), to, port)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean ingressAllows(Endpoint from, Endpoint to, int port) {
    if (!(to instanceof Pod)) {
      return true;
    }
    List<Manifest> selecting = selecting((Pod) to, "Ingress");
    if (selecting.isEmpty()) {
      return true;
    }
    for (Manifest p : selecting) {
      for (Object rule : Tree.list(Tree.at(p.tree(), "spec", "ingress"))) {
        if (peersMatch(Tree.at(rule, "from"), p.namespace(), from)
            && portsMatch(Tree.at(rule, "ports"), to, port)) {
          return true;
        }
      }
    }
    return false;
  }

  /** policyTypes, or what the API defaults it to when absent. */
  private static List<String> types(Manifest policy) {
    List<String> out = new ArrayList<>();
    Object declared = Tree.at(policy.tree(), "spec", "policyTypes");
    if (declared != null) {
      for (Object t : Tree.list(declared)) {
        out.add(Tree.string(t));
      }
      return out;
    }
    out.add("Ingress");
    if (Tree.at(policy.tree(), "spec", "egress") != null) {
      out.add("Egress");
    }
    return out;
  }

  /** An absent or empty peer list matches everyone; otherwise any one peer must match. */
  private static boolean peersMatch(Object peers, String policyNamespace, Endpoint other) {
    List<?> list = Tree.list(peers);
    if (list.isEmpty()) {
      return true;
    }
    for (Object peer : list) {
      if (peerMatches(Tree.mapOrEmpty(peer), policyNamespace, other)) {
        return true;
      }
    }
    return false;
  }

  private static boolean peerMatches(Map<String, Object> peer, String policyNamespace, Endpoint e) {
    Object ipBlock = peer.get("ipBlock");
    if (ipBlock != null) {
      if (!(e instanceof External)) {
        return false;
      }
      String ip = ((External) e).ip();
      if (!Cidr.contains(Tree.string(Tree.at(ipBlock, "cidr")), ip)) {
        return false;
      }
      for (Object except : Tree.list(Tree.at(ipBlock, "except"))) {
        if (Cidr.contains(Tree.string(except), ip)) {
          return false;
        }
      }
      return true;
    }
    if (!(e instanceof Pod)) {
      return false;
    }
    Pod pod = (Pod) e;
    Object namespaceSelector = peer.get("namespaceSelector");
    Object podSelector = peer.get("podSelector");
    boolean namespaceOk =
        namespaceSelector == null
            ? pod.namespace().equals(policyNamespace)
            : Selectors.matches(
                namespaceSelector, Map.of("kubernetes.io/metadata.name", pod.namespace()));
    boolean podOk = podSelector == null || Selectors.matches(podSelector, pod.labels());
    return namespaceOk && podOk;
  }

  /** An absent or empty port list matches every port; protocols other than TCP never match. */
  private static boolean portsMatch(Object ports, Endpoint to, int port) {
    List<?> list = Tree.list(ports);
    if (list.isEmpty()) {
      return true;
    }
    for (Object entry : list) {
      String protocol = Tree.string(Tree.at(entry, "protocol"));
      if (!protocol.isEmpty() && !protocol.equals("TCP")) {
        continue;
      }
      Object declared = Tree.at(entry, "port");
      if (declared == null) {
        return true;
      }
      Integer start;
      if (declared instanceof Integer) {
        start = (Integer) declared;
      } else {
        // A named port is the destination pod's container port of that name.
        start = to instanceof Pod ? ((Pod) to).ports().get(Tree.string(declared)) : null;
      }
      if (start == null) {
        continue;
      }
      Object endPort = Tree.at(entry, "endPort");
      int end = endPort instanceof Integer ? (Integer) endPort : start;
      if (port >= start && port <= end) {
        return true;
      }
    }
    return false;
  }

  /** Label selectors: matchLabels and matchExpressions; an empty selector matches everything. */
  static final class Selectors {
    private Selectors() {}

    static boolean matches(Object selector, Map<String, String> labels) {
      Objects.requireNonNull(labels, "labels");
      if (selector == null) {
        return false;
      }
      for (Map.Entry<String, String> e :
          Tree.stringMap(Tree.at(selector, "matchLabels")).entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
      for (Object expression : Tree.list(Tree.at(selector, "matchExpressions"))) {
        String key = Tree.string(Tree.at(expression, "key"));
        List<String> values = new ArrayList<>();
        for (Object v : Tree.list(Tree.at(expression, "values"))) {
          values.add(Tree.string(v));
        }
        String operator = Tree.string(Tree.at(expression, "operator"));
        boolean ok;
        switch (operator) {
          case "In":
            ok = labels.containsKey(key) && values.contains(labels.get(key));
            break;
          case "NotIn":
            ok = !labels.containsKey(key) || !values.contains(labels.get(key));
            break;
          case "Exists":
            ok = labels.containsKey(key);
            break;
          case "DoesNotExist":
            ok = !labels.containsKey(key);
            break;
          default:
            throw new IllegalArgumentException("unknown selector operator " + operator);
        }
        if (!ok) {
          return false;
        }
      }
      return true;
    }
  }

  /** IPv4 CIDR membership. */
  static final class Cidr {
    private Cidr() {}

    static boolean contains(String cidr, String ip) {
      String[] parts = cidr.split("/", 2);
      int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
      if (bits < 0 || bits > 32) {
        throw new IllegalArgumentException("bad prefix length in " + cidr);
      }
      long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
      return (address(parts[0]) & mask) == (address(ip) & mask);
    }

    private static long address(String dotted) {
      String[] octets = dotted.split("\\.", -1);
      if (octets.length != 4) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      }
      long value = 0;
      for (String octet : octets) {
        int n = Integer.parseInt(octet);
        if (n < 0 || n > 255) {
          throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        value = (value << 8) | n;
      }
      return value;
    }
  }
}
