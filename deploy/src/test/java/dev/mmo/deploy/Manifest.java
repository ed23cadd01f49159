package dev.mmo.deploy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** One rendered Kubernetes object, as the plain maps and lists the YAML holds. */
record Manifest(Map<String, Object> tree) {
  Manifest {
    Objects.requireNonNull(tree, "tree");
  }

  /** Every object of a multi-document YAML stream (empty documents skipped). */
  static List<Manifest> parseAll(String yaml) {
    Yaml parser = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<Manifest> out = new ArrayList<>();
    for (Object document : parser.loadAll(yaml)) {
      if (document != null) {
        out.add(new Manifest(Tree.map(document, "document")));
      }
    }
    return out;
  }

  String apiVersion() {
    return Tree.string(tree.get("apiVersion"));
  }

  String kind() {
    return Tree.string(tree.get("kind"));
  }

  String name() {
    return Tree.string(Tree.at(tree, "metadata", "name"));
  }

  /** The namespace the object lands in; {@code default} when the render names none. */
  String namespace() {
    String namespace = Tree.string(Tree.at(tree, "metadata", "namespace"));
    return namespace.isEmpty() ? "default" : namespace;
  }

  String id() {
    return kind() + " " + namespace() + "/" + name();
  }

  boolean isWorkload() {
    switch (kind()) {
      case "Deployment":
      case "StatefulSet":
      case "DaemonSet":
      case "Job":
        return true;
      default:
        return false;
    }
  }

  /** The pod template of a workload. */
  Map<String, Object> podTemplate() {
    return Tree.map(Tree.at(tree, "spec", "template"), id() + " spec.template");
  }

  Map<String, Object> podSpec() {
    return Tree.map(podTemplate().get("spec"), id() + " pod spec");
  }

  Map<String, String> podLabels() {
    return Tree.stringMap(Tree.at(podTemplate(), "metadata", "labels"));
  }

  /** Containers, then init containers. */
  List<Map<String, Object>> allContainers() {
    List<Map<String, Object>> out = new ArrayList<>(containers());
    for (Object c : Tree.list(podSpec().get("initContainers"))) {
      out.add(Tree.map(c, id() + " init container"));
    }
    return out;
  }

  List<Map<String, Object>> containers() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object c : Tree.list(podSpec().get("containers"))) {
      out.add(Tree.map(c, id() + " container"));
    }
    return Collections.unmodifiableList(out);
  }
}
