package dev.mmo.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubectlTest {
  @Test
  void locate_default_isThePinnedVersion() throws Exception {
    assumeTrue(System.getenv("MMO_KUBECTL") == null, "MMO_KUBECTL chooses another kubectl");
    String version = Overlays.kubectl().clientVersion();
    assertThat(version).contains("v1.32.3").contains("Kustomize Version: v5.5.0");
  }

  @Test
  void pinned_alteredCachedBinary_isReplaced(@TempDir Path cache) throws Exception {
    assumeTrue(System.getenv("MMO_KUBECTL") == null, "MMO_KUBECTL chooses another kubectl");
    Path stale = cache.resolve("kubectl-v1.32.3");
    Files.write(stale, "#!/bin/sh\necho tampered\n".getBytes(StandardCharsets.US_ASCII));
    Path binary = Kubectl.pinned(cache);
    assertThat(binary).isEqualTo(stale);
    assertThat(Files.size(binary)).isGreaterThan(1_000_000);
    assertThat(Files.isExecutable(binary)).isTrue();
    try (var files = Files.list(cache)) {
      assertThat(files).containsExactly(stale);
    }
  }
}
