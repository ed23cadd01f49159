package dev.mmo.gs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.gs.identity.KeyFile;
import dev.mmo.gs.identity.SwHash;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GsMainTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void keygen_writesAKeyAndPrintsItsEnrollment() throws Exception {
    Path file = dir.resolve("gs.pem");

    int status = run("keygen", "--out", file.toString(), "--gs-id", "eu-west.gs-042");

    assertThat(status).isEqualTo(0);
    String publicKey = KeyFile.read(file).publicKey().hex();
    String swHash = SwHash.ofCodeOf(GsMain.class).hex();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("public key: " + publicKey)
        .contains(
            "{\"id\":\"eu-west.gs-042\",\"publicKey\":\""
                + publicKey
                + "\",\"allowedSoftware\":[\""
                + swHash
                + "\"]}");
  }

  @Test
  void keygen_existingFile_refusedAndLeftAlone() throws Exception {
    Path file = dir.resolve("gs.pem");
    Files.writeString(file, "precious");

    assertThat(run("keygen", "--out", file.toString())).isEqualTo(1);
    assertThat(Files.readString(file)).isEqualTo("precious");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("never overwritten");
  }

  @Test
  void printSwHash_printsTheMeasuredHash() throws Exception {
    assertThat(run("print-sw-hash")).isEqualTo(0);
    assertThat(out.toString(StandardCharsets.UTF_8).strip())
        .isEqualTo(SwHash.ofCodeOf(GsMain.class).hex())
        .matches("[0-9a-f]{64}");
  }

  @Test
  void run_badConfiguration_exitsWithUsageStatusBeforeStarting() {
    assertThat(run("run")).isEqualTo(GsMain.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("gs.id is required");
  }

  @Test
  void run_worldReadableKey_refused() throws Exception {
    Path key = dir.resolve("gs.pem");
    assertThat(run("keygen", "--out", key.toString())).isEqualTo(0);
    Files.setPosixFilePermissions(
        key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

    int status =
        GsMain.run(
            new String[] {"run"},
            Map.of(
                "MMO_GS_GS_ID", "gs-1",
                "MMO_GS_KEY_FILE", key.toString(),
                "MMO_GS_TRUST_ANCHORS_FILE", dir.resolve("none").toString()),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).isEqualTo(GsMain.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("chmod 600");
  }

  @Test
  void unknownCommandOrOption_usage() {
    assertThat(run()).isEqualTo(GsMain.EXIT_USAGE);
    assertThat(run("serve")).isEqualTo(GsMain.EXIT_USAGE);
    assertThat(run("keygen", "--force")).isEqualTo(GsMain.EXIT_USAGE);
    assertThat(run("print-sw-hash", "extra")).isEqualTo(GsMain.EXIT_USAGE);
  }

  private int run(String... args) {
    return GsMain.run(
        args,
        Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
