package dev.mmo.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The project's own rules for a rendered installation (docs/deploy.md, "Checks"). Each check adds
 * one line per violation, so a test reports every broken rule at once.
 */
final class DeploymentRules {
  /** Environment variable names that carry a secret: their value must come from a Secret. */
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(PASSWORD|PASSWD|_PASS$|PIN$|SECRET|TOKEN|PRIVATE|CREDENTIAL).*");

  /** ConfigMap keys that name a secret. */
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(password|passwd|secret|private.?key|(^|[^a-z])pin)$");

  /** Text that is a secret wherever it appears in a rendered object. */
  private static final List<Pattern> SECRET_TEXT =
      List.of(
          Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"),
          // user:password@ in a URL
          Pattern.compile("[a-z][a-z0-9+.-]*://[^/\\s:@]*:[^/\\s@]+@"),
          Pattern.compile("(?im)^\\s*[a-z_.-]*(password|passwd|pin|secret)\\s*[=:]\\s*\\S+"),
          // The PINs and passwords of the workstation set-up (infra/README.md).
          Pattern.compile("mmo-dev-pin|mmo-dev-so-pin"));

  private final List<Manifest> manifests;
  private final Set<String> external;
  private final List<String> violations = new ArrayList<>();

  /**
   * @param external objects the render refers to but must not contain, as "Kind/name" (Secrets and
   *     site data made out of band)
   */
  private DeploymentRules(List<Manifest> manifests, Set<String> external) {
    this.manifests = manifests;
    this.external = external;
  }

  static List<String> check(List<Manifest> manifests, Set<String> external) {
    DeploymentRules rules = new DeploymentRules(manifests, external);
    rules.run();
    return rules.violations;
  }

  private void run() {
    for (Manifest m : manifests) {
      noSecretValues(m);
      if (m.isWorkload()) {
        containers(m);
        podSecurity(m);
        references(m);
      }
      if (m.kind().equals("Service")) {
        serviceSelectsPods(m);
      }
    }
    validationServer();
    oneKeyAlias();
  }

  /** Whatever names the VS key (the VS config, the dev token Job) names the same alias. */
  private void oneKeyAlias() {
    Set<String> aliases = new TreeSet<>();
    for (Manifest m : manifests) {
      if (m.kind().equals("ConfigMap") && Tree.at(m.tree(), "data", "MMO_HSM_KEY_ALIAS") != null) {
        aliases.add(Tree.string(Tree.at(m.tree(), "data", "MMO_HSM_KEY_ALIAS")));
      }
      if (m.isWorkload()) {
        for (Map<String, Object> c : m.allContainers()) {
          for (Object e : Tree.list(c.get("env"))) {
            if ("MMO_HSM_KEY_ALIAS".equals(Tree.at(e, "name")) && Tree.at(e, "value") != null) {
              aliases.add(Tree.string(Tree.at(e, "value")));
            }
          }
        }
      }
    }
    if (aliases.size() > 1) {
      violations.add("MMO_HSM_KEY_ALIAS differs between objects: " + aliases);
    }
  }

  private void fail(Manifest m, String message) {
    violations.add(m.id() + ": " + message);
  }

  private void containers(Manifest m) {
    boolean longRunning = !m.kind().equals("Job");
    for (Map<String, Object> c : m.allContainers()) {
      String name = "container " + Tree.string(c.get("name"));
      for (String kind : List.of("requests", "limits")) {
        for (String resource : List.of("cpu", "memory")) {
          if (Tree.at(c, "resources", kind, resource) == null) {
            fail(m, name + " has no resources." + kind + "." + resource);
          }
        }
      }
      String image = Tree.string(c.get("image"));
      if (!image.contains("@sha256:") && (!image.contains(":") || image.endsWith(":latest"))) {
        fail(m, name + " image " + image + " is not pinned to a tag or digest");
      }
      if (!Boolean.FALSE.equals(Tree.at(c, "securityContext", "allowPrivilegeEscalation"))) {
        fail(m, name + " does not set allowPrivilegeEscalation: false");
      }
      if (!Tree.list(Tree.at(c, "securityContext", "capabilities", "drop")).contains("ALL")) {
        fail(m, name + " does not drop ALL capabilities");
      }
      if (isProjectImage(image)
          && !Boolean.TRUE.equals(Tree.at(c, "securityContext", "readOnlyRootFilesystem"))) {
        fail(m, name + " (project image) has a writable root file system");
      }
      for (Object e : Tree.list(c.get("env"))) {
        String var = Tree.string(Tree.at(e, "name"));
        if (SECRET_NAME.matcher(var).matches() && Tree.at(e, "value") != null) {
          fail(m, name + " sets " + var + " to a literal value (use a secretKeyRef)");
        }
        if (SECRET_NAME.matcher(var).matches() && Tree.at(e, "valueFrom", "secretKeyRef") == null) {
          fail(m, name + " takes " + var + " from somewhere other than a Secret");
        }
      }
    }
    if (longRunning) {
      for (Map<String, Object> c : m.containers()) {
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
          if (c.get(probe) == null) {
            fail(m, "container " + Tree.string(c.get("name")) + " has no " + probe);
          }
        }
      }
    }
  }

  /** The images this project builds (docs/deploy.md, "Container images"). */
  static boolean isProjectImage(String image) {
    String repository = image.replaceAll("[:@].*$", "");
    String last = repository.substring(repository.lastIndexOf('/') + 1);
    return last.startsWith("mmo-") || repository.contains("/mmo/");
  }

  private void podSecurity(Manifest m) {
    Map<String, Object> spec = m.podSpec();
    if (!Boolean.TRUE.equals(Tree.at(spec, "securityContext", "runAsNonRoot"))) {
      fail(m, "pod does not set runAsNonRoot: true");
    }
    if (!"RuntimeDefault".equals(Tree.at(spec, "securityContext", "seccompProfile", "type"))) {
      fail(m, "pod does not use the RuntimeDefault seccomp profile");
    }
    String account = Tree.string(spec.get("serviceAccountName"));
    if (account.isEmpty() || account.equals("default")) {
      fail(m, "pod runs as the default service account");
    }
    if (!Boolean.FALSE.equals(spec.get("automountServiceAccountToken"))) {
      fail(m, "pod mounts a service account token");
    }
  }

  private void noSecretValues(Manifest m) {
    if (m.kind().equals("Secret")
        && (m.tree().get("data") != null || m.tree().get("stringData") != null)) {
      fail(m, "a Secret with values is committed; Secrets are made out of band");
    }
    if (m.kind().equals("ConfigMap")) {
      for (Map.Entry<String, Object> e : Tree.mapOrEmpty(m.tree().get("data")).entrySet()) {
        String value = Tree.string(e.getValue());
        if (SECRET_KEY.matcher(e.getKey()).matches()) {
          fail(m, "ConfigMap key " + e.getKey() + " names a secret");
        }
        for (Pattern p : SECRET_TEXT) {
          if (p.matcher(value).find()) {
            fail(m, "ConfigMap key " + e.getKey() + " holds secret-looking text (" + p + ")");
          }
        }
      }
    }
  }

  /** Every ConfigMap, Secret, claim and service account a pod names exists or is external. */
  private void references(Manifest m) {
    Map<String, Object> spec = m.podSpec();
    need(m, "ServiceAccount", Tree.string(spec.get("serviceAccountName")));
    for (Object v : Tree.list(spec.get("volumes"))) {
      need(m, "ConfigMap", Tree.string(Tree.at(v, "configMap", "name")));
      need(m, "Secret", Tree.string(Tree.at(v, "secret", "secretName")));
      need(
          m,
          "PersistentVolumeClaim",
          Tree.string(Tree.at(v, "persistentVolumeClaim", "claimName")));
    }
    for (Map<String, Object> c : m.allContainers()) {
      for (Object from : Tree.list(c.get("envFrom"))) {
        need(m, "ConfigMap", Tree.string(Tree.at(from, "configMapRef", "name")));
        need(m, "Secret", Tree.string(Tree.at(from, "secretRef", "name")));
      }
      for (Object e : Tree.list(c.get("env"))) {
        need(m, "ConfigMap", Tree.string(Tree.at(e, "valueFrom", "configMapKeyRef", "name")));
        need(m, "Secret", Tree.string(Tree.at(e, "valueFrom", "secretKeyRef", "name")));
      }
    }
  }

  private void need(Manifest m, String kind, String name) {
    if (name.isEmpty() || external.contains(kind + "/" + name)) {
      return;
    }
    for (Manifest other : manifests) {
      if (other.kind().equals(kind)
          && other.name().equals(name)
          && other.namespace().equals(m.namespace())) {
        return;
      }
    }
    fail(m, "refers to " + kind + "/" + name + ", which is neither rendered nor external");
  }

  private void serviceSelectsPods(Manifest service) {
    Map<String, String> selector = Tree.stringMap(Tree.at(service.tree(), "spec", "selector"));
    List<Manifest> targets = new ArrayList<>();
    for (Manifest m : manifests) {
      if (m.isWorkload()
          && m.namespace().equals(service.namespace())
          && !selector.isEmpty()
          && m.podLabels().entrySet().containsAll(selector.entrySet())) {
        targets.add(m);
      }
    }
    if (targets.isEmpty()) {
      fail(service, "selects no pods");
      return;
    }
    for (Object port : Tree.list(Tree.at(service.tree(), "spec", "ports"))) {
      Object target = Tree.at(port, "targetPort");
      if (target instanceof String) {
        for (Manifest t : targets) {
          if (!containerPorts(t).containsKey(target)) {
            fail(service, "targetPort " + target + " is not a port of " + t.id());
          }
        }
      }
    }
  }

  static Map<String, Integer> containerPorts(Manifest workload) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Map<String, Object> c : workload.containers()) {
      for (Object p : Tree.list(c.get("ports"))) {
        Object number = Tree.at(p, "containerPort");
        out.put(Tree.string(Tree.at(p, "name")), number instanceof Integer ? (Integer) number : -1);
      }
    }
    return out;
  }

  /** The VS: replicated, disruption-budgeted, autoscaled, probed on /q/health, HSM wired. */
  private void validationServer() {
    List<Manifest> vs = new ArrayList<>();
    for (Manifest m : manifests) {
      if (m.kind().equals("Deployment") && m.name().equals("mmo-vs")) {
        vs.add(m);
      }
    }
    if (vs.size() != 1) {
      violations.add("expected one Deployment mmo-vs, found " + vs.size());
      return;
    }
    Manifest d = vs.get(0);
    Object replicas = Tree.at(d.tree(), "spec", "replicas");
    if (!(replicas instanceof Integer) || (Integer) replicas < 2) {
      fail(d, "runs fewer than 2 replicas");
    }
    Map<String, Object> c = d.containers().get(0);
    probe(d, c, "readinessProbe", "/q/health/ready");
    probe(d, c, "livenessProbe", "/q/health/live");
    managementHost(d, c);
    Set<String> secretEnv = new HashSet<>();
    String hsmConfig = "";
    for (Object e : Tree.list(c.get("env"))) {
      if (Tree.at(e, "valueFrom", "secretKeyRef") != null) {
        secretEnv.add(Tree.string(Tree.at(e, "name")));
      }
    }
    Manifest config = findConfigMap(d, c);
    if (config != null) {
      hsmConfig = Tree.string(Tree.at(config.tree(), "data", "MMO_HSM_CONFIG"));
    }
    if (!secretEnv.contains("MMO_HSM_PIN")) {
      fail(d, "MMO_HSM_PIN does not come from a Secret");
    }
    if (!mountedFromConfigMap(d, c, hsmConfig)) {
      fail(d, "MMO_HSM_CONFIG (" + hsmConfig + ") is not a file of a mounted ConfigMap");
    }
    boolean budget = false;
    boolean autoscaled = false;
    for (Manifest m : manifests) {
      if (m.kind().equals("PodDisruptionBudget")
          && NetworkPolicies.Selectors.matches(
              Tree.at(m.tree(), "spec", "selector"), d.podLabels())) {
        budget = true;
      }
      if (m.kind().equals("HorizontalPodAutoscaler")
          && "mmo-vs".equals(Tree.at(m.tree(), "spec", "scaleTargetRef", "name"))) {
        Object min = Tree.at(m.tree(), "spec", "minReplicas");
        autoscaled = min instanceof Integer && (Integer) min >= 2;
      }
      if (m.kind().equals("Service")
          && NetworkPolicies.Selectors.matches(
              Map.of("matchLabels", Tree.mapOrEmpty(Tree.at(m.tree(), "spec", "selector"))),
              d.podLabels())) {
        for (Object port : Tree.list(Tree.at(m.tree(), "spec", "ports"))) {
          Object target = Tree.at(port, "targetPort");
          if ("management".equals(target) || Integer.valueOf(9000).equals(target)) {
            fail(m, "publishes the VS management port");
          }
        }
      }
    }
    if (!budget) {
      fail(d, "no PodDisruptionBudget selects the VS pods");
    }
    if (!autoscaled) {
      fail(d, "no HorizontalPodAutoscaler keeps at least 2 VS replicas");
    }
  }

  private void probe(Manifest d, Map<String, Object> c, String probe, String path) {
    if (!path.equals(Tree.at(c, probe, "httpGet", "path"))
        || !"management".equals(Tree.at(c, probe, "httpGet", "port"))) {
      fail(d, probe + " is not GET " + path + " on the management port");
    }
  }

  /**
   * The VS binds its management interface to loopback by default, where neither the kubelet's
   * probes nor Prometheus reach it: the pod must name its own address (status.podIP).
   */
  private void managementHost(Manifest d, Map<String, Object> c) {
    for (Object e : Tree.list(c.get("env"))) {
      if ("MMO_VS_MANAGEMENT_HOST".equals(Tree.at(e, "name"))
          && "status.podIP".equals(Tree.at(e, "valueFrom", "fieldRef", "fieldPath"))) {
        return;
      }
    }
    fail(d, "MMO_VS_MANAGEMENT_HOST is not the pod's address (status.podIP): probes would fail");
  }

  private Manifest findConfigMap(Manifest d, Map<String, Object> c) {
    for (Object from : Tree.list(c.get("envFrom"))) {
      String name = Tree.string(Tree.at(from, "configMapRef", "name"));
      for (Manifest m : manifests) {
        if (m.kind().equals("ConfigMap")
            && m.name().equals(name)
            && m.tree().get("data") instanceof Map
            && Tree.at(m.tree(), "data", "MMO_HSM_CONFIG") != null) {
          return m;
        }
      }
    }
    fail(d, "MMO_HSM_CONFIG is not set from a ConfigMap");
    return null;
  }

  private boolean mountedFromConfigMap(Manifest d, Map<String, Object> c, String file) {
    int slash = file.lastIndexOf('/');
    if (slash <= 0) {
      return false;
    }
    String dir = file.substring(0, slash);
    String key = file.substring(slash + 1);
    for (Object mount : Tree.list(c.get("volumeMounts"))) {
      if (!dir.equals(Tree.at(mount, "mountPath"))) {
        continue;
      }
      String volume = Tree.string(Tree.at(mount, "name"));
      for (Object v : Tree.list(d.podSpec().get("volumes"))) {
        if (volume.equals(Tree.at(v, "name")) && Tree.at(v, "configMap", "name") != null) {
          String configMap = Tree.string(Tree.at(v, "configMap", "name"));
          for (Manifest m : manifests) {
            if (m.kind().equals("ConfigMap")
                && m.name().equals(configMap)
                && Tree.at(m.tree(), "data", key) != null) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }
}
