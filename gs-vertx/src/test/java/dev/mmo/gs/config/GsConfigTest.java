package dev.mmo.gs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.protocol.wire.GsId;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GsConfigTest {
  private static final Map<String, String> REQUIRED_ENV =
      Map.of(
          "MMO_GS_GS_ID", "eu-west.gs-042",
          "MMO_GS_KEY_FILE", "/etc/gs/key.pem",
          "MMO_GS_TRUST_ANCHORS_FILE", "/etc/gs/anchors.txt");

  @TempDir Path dir;

  @Test
  void load_requiredOnly_defaultsForTheRest() throws Exception {
    GsConfig c = GsConfig.load(Optional.empty(), REQUIRED_ENV);

    assertThat(c.gsId()).isEqualTo(new GsId("eu-west.gs-042"));
    assertThat(c.vsUrl()).isEqualTo(URI.create("ws://127.0.0.1:8080/gs"));
    assertThat(c.playHost()).isEqualTo("0.0.0.0");
    assertThat(c.playPort()).isEqualTo(7000);
    assertThat(c.opsPort()).isEqualTo(7001);
    assertThat(c.playMaxClients()).isEqualTo(256);
    assertThat(c.playMaxFrameBytes()).isEqualTo(1024);
    assertThat(c.keyGroupReadable()).isFalse();
    assertThat(c.playTicketSkew()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.playClientSkew()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.transcriptDir()).isEqualTo(Path.of("./transcripts"));
    assertThat(c.vsBusyRetry()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void load_environmentOverridesTheFile() throws Exception {
    Path file = dir.resolve("gs.properties");
    Files.writeString(
        file,
        "gs.id=from-file\nkey.file=/k\ntrust-anchors.file=/t\nplay.port=7100\nvs.url=wss://vs.example/gs\n"
            + "play.max-clients=10\n");

    GsConfig c =
        GsConfig.load(
            Optional.of(file),
            Map.of("MMO_GS_PLAY_PORT", "7200", "MMO_GS_PLAY_MAX_CLIENTS", "20", "PATH", "/bin"));

    assertThat(c.gsId()).isEqualTo(new GsId("from-file"));
    assertThat(c.playPort()).isEqualTo(7200);
    assertThat(c.playMaxClients()).isEqualTo(20);
    assertThat(c.vsUrl()).isEqualTo(URI.create("wss://vs.example/gs"));
  }

  @Test
  void envName_upperCaseWithUnderscores() {
    assertThat(GsConfig.envName("trust-anchors.file")).isEqualTo("MMO_GS_TRUST_ANCHORS_FILE");
    assertThat(GsConfig.envName("play.max-frame-bytes")).isEqualTo("MMO_GS_PLAY_MAX_FRAME_BYTES");
    for (String key : GsConfig.keys()) {
      assertThat(GsConfig.envName(key)).matches("MMO_GS_[A-Z0-9_]+");
    }
  }

  @Test
  void load_unknownKeyInFile_refusedNamingIt() throws Exception {
    Path file = dir.resolve("gs.properties");
    Files.writeString(file, "play.prot=7000\n");

    assertThatThrownBy(() -> GsConfig.load(Optional.of(file), REQUIRED_ENV))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("play.prot");
  }

  @Test
  void load_unknownEnvironmentVariable_refusedNamingIt() {
    Map<String, String> env = new java.util.HashMap<>(REQUIRED_ENV);
    env.put("MMO_GS_PLAY_PROT", "7000");

    assertThatThrownBy(() -> GsConfig.load(Optional.empty(), env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MMO_GS_PLAY_PROT");
  }

  @Test
  void load_configVariableItself_isNotAKey() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(REQUIRED_ENV);
    env.put(GsConfig.CONFIG_ENV, "/etc/gs.properties");

    assertThat(GsConfig.load(Optional.empty(), env).gsId()).isEqualTo(new GsId("eu-west.gs-042"));
  }

  @Test
  void load_badValues_eachNamedWithItsSource() {
    Map<String, String> cases =
        Map.of(
            "MMO_GS_PLAY_PORT", "seventy",
            "MMO_GS_OPS_PORT", "70000",
            "MMO_GS_VS_URL", "http://vs/gs",
            "MMO_GS_PLAY_TICKET_SKEW", "2 seconds",
            "MMO_GS_PLAY_MAX_FRAME_BYTES", "100000",
            "MMO_GS_GS_ID", "Upper.Case",
            "MMO_GS_VS_MAX_OUTSTANDING_DIGESTS", "0");
    for (Map.Entry<String, String> e : cases.entrySet()) {
      Map<String, String> env = new java.util.HashMap<>(REQUIRED_ENV);
      env.put(e.getKey(), e.getValue());
      assertThatThrownBy(() -> GsConfig.load(Optional.empty(), env))
          .as(e.getKey())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("environment " + e.getKey());
    }
  }

  @Test
  void load_missingRequired_namesEveryOne() {
    assertThatThrownBy(() -> GsConfig.load(Optional.empty(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("gs.id is required")
        .hasMessageContaining("key.file is required")
        .hasMessageContaining("trust-anchors.file is required");
  }

  @Test
  void load_burstBelowRate_refused() {
    Map<String, String> env = new java.util.HashMap<>(REQUIRED_ENV);
    env.put("MMO_GS_PLAY_INPUT_RATE", "50");
    env.put("MMO_GS_PLAY_INPUT_BURST", "10");

    assertThatThrownBy(() -> GsConfig.load(Optional.empty(), env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("play.input-burst");
  }

  @Test
  void load_durations_allUnits() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(REQUIRED_ENV);
    env.put("MMO_GS_VS_RECONNECT_MIN", "250ms");
    env.put("MMO_GS_VS_RECONNECT_MAX", "1m");
    env.put("MMO_GS_PLAY_CLIENT_SKEW", "1h");

    GsConfig c = GsConfig.load(Optional.empty(), env);

    assertThat(c.vsReconnectMin()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.vsReconnectMax()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.playClientSkew()).isEqualTo(Duration.ofHours(1));
  }
}
