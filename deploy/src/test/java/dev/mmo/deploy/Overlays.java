package dev.mmo.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Kustomize directories under k8s/ and their renders (rendered once per test run). */
final class Overlays {
  private static Kubectl kubectl;

  private Overlays() {}

  static Path k8sDir() {
    return Paths.get(System.getProperty("mmo.k8s.dir", "../k8s")).toAbsolutePath().normalize();
  }

  /** The base and every directory under overlays/ that holds a kustomization.yaml. */
  static List<String> all() throws IOException {
    List<String> out = new ArrayList<>();
    out.add("base");
    try (Stream<Path> dirs = Files.list(k8sDir().resolve("overlays"))) {
      dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
          .map(d -> "overlays/" + d.getFileName())
          .sorted()
          .forEach(out::add);
    }
    return out;
  }

  static synchronized Kubectl kubectl() throws IOException {
    if (kubectl == null) {
      kubectl = Kubectl.locate();
    }
    return kubectl;
  }

  static List<Manifest> render(String dir) throws IOException, InterruptedException {
    return Manifest.parseAll(kubectl().kustomize(k8sDir().resolve(dir)));
  }

  static String renderText(String dir) throws IOException, InterruptedException {
    return kubectl().kustomize(k8sDir().resolve(dir));
  }
}
