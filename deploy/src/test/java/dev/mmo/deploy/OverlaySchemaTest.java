package dev.mmo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OverlaySchemaTest {
  static List<String> overlays() throws Exception {
    return Overlays.all();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void render_everyObject_matchesTheKubernetesSchemas(String overlay) throws Exception {
    List<Manifest> manifests = Overlays.render(overlay);
    assertThat(manifests).isNotEmpty();
    List<String> violations = new ArrayList<>();
    for (Manifest m : manifests) {
      violations.addAll(Schemas.violations(m));
    }
    assertThat(violations).isEmpty();
  }
}
