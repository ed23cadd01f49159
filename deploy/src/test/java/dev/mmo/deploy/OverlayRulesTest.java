package dev.mmo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
    assertThat(Reachability.uncovered(Overlays.render(overlay))).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void networkPolicies_allowExactlyTheExpectedConnections(String overlay) throws Exception {
    assertThat(Reachability.unexpected(Installation.of(overlay), Overlays.render(overlay)))
        .isEmpty();
  }
}
