package dev.mmo.vs.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signer against faults that leave SoftHSM's state broken for the rest of the process unless
 * the PKCS#11 library is initialized again: no descriptor left, and the token directory gone for a
 * moment. Each runs in a child JVM ({@link HsmFaultChild}) on a copy of the project-local token, so
 * the fault touches neither this JVM nor the token other tests use.
 */
class HsmFaultRecoveryTest {
  /** Readiness returns within this after the fault ends (probe every 200 ms in the child). */
  private static final long RECOVERY_BOUND_MILLIS = 5_000;

  /** A descriptor limit the JVM starts with and the child exhausts in a few milliseconds. */
  private static final int DESCRIPTOR_LIMIT = 512;

  @TempDir Path work;
  private Path tokens;
  private Path softHsmConfig;

  @BeforeEach
  void copyToken() throws IOException {
    tokens = work.resolve("tokens");
    Path source = SoftHsmFixture.WORK.resolve("tokens");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Files.copy(file, tokens.resolve(source.relativize(file).toString()));
      }
    }
    softHsmConfig = work.resolve("softhsm2.conf");
    Files.writeString(
        softHsmConfig,
        "directories.tokendir = " + tokens.toAbsolutePath() + "\nobjectstore.backend = file\n");
  }

  @Test
  void sign_descriptorsExhaustedThenReleased_failsClosedThenSignsAgainWithinTheBound()
      throws Exception {
    Map<String, String> result = runChild("exhaust", "--nofile=" + DESCRIPTOR_LIMIT);

    assertThat(result).containsEntry("signedBefore", "true");
    assertThat(Integer.parseInt(result.get("descriptorsHeld"))).isPositive();
    assertThat(result)
        .containsEntry("signFailedDuringFault", "true")
        .containsEntry("stayedDownDuringFault", "true")
        .containsEntry("signedAfter", "true");
    assertThat(Long.parseLong(result.get("recoveryMillis"))).isLessThan(RECOVERY_BOUND_MILLIS);
    // A fresh login alone did not bring it back: the library had to be initialized again.
    assertThat(Long.parseLong(result.get("reinitializations"))).isPositive();
  }

  @Test
  void sign_tokenDirectoryGoneForAMoment_failsClosedThenSignsAgainWithinTheBound()
      throws Exception {
    Map<String, String> result = runChild("reset", null);

    assertThat(result)
        .containsEntry("signedBefore", "true")
        .containsEntry("signFailedDuringFault", "true")
        .containsEntry("stayedDownDuringFault", "true")
        .containsEntry("signedAfter", "true");
    assertThat(Long.parseLong(result.get("recoveryMillis"))).isLessThan(RECOVERY_BOUND_MILLIS);
    assertThat(Long.parseLong(result.get("reinitializations"))).isPositive();
  }

  @Test
  void sign_manyOutagesInARow_recoversEachTimeWithoutAccumulatingThreadsOrProviders()
      throws Exception {
    Map<String, String> result = runChild("repeat", null);

    assertThat(result).containsEntry("recovered", Integer.toString(HsmFaultChild.REPEATS));
    assertThat(Long.parseLong(result.get("reinitializations")))
        .isGreaterThanOrEqualTo(HsmFaultChild.REPEATS);
    // SunPKCS11 starts one cleaner thread per JVM; nothing per recovery.
    assertThat(Long.parseLong(result.get("threadsAfter")))
        .isLessThanOrEqualTo(Long.parseLong(result.get("threadsBefore")) + 2);
    // Every dropped login is given back: its provider and its sessions can be collected.
    assertThat(Long.parseLong(result.get("providersAfter")))
        .isLessThanOrEqualTo(Long.parseLong(result.get("providersBefore")) + 1);
    assertThat(Long.parseLong(result.get("sessionsAfter")))
        .isLessThanOrEqualTo(Long.parseLong(result.get("sessionsBefore")) + 2);
  }

  /** Runs the child to its end, optionally under prlimit, and returns what it reported. */
  private Map<String, String> runChild(String scenario, String limit) throws Exception {
    List<String> command = new ArrayList<>();
    if (limit != null) {
      command.addAll(List.of("prlimit", limit, "--"));
    }
    command.addAll(
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "--add-opens",
            TokenModule.ADD_OPENS + "=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            HsmFaultChild.class.getName(),
            scenario,
            SoftHsmFixture.SUNPKCS11_CONFIG.toAbsolutePath().toString(),
            tokens.toAbsolutePath().toString()));
    Path output = work.resolve(scenario + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().put("SOFTHSM2_CONF", softHsmConfig.toAbsolutePath().toString());
    Process child = builder.start();
    boolean ended = child.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      child.destroyForcibly();
    }
    String log = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(ended).as("child ended in time; its output:%n%s", log).isTrue();
    assertThat(child.exitValue()).as("child exit code; its output:%n%s", log).isZero();
    Map<String, String> result = new HashMap<>();
    for (String line : log.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0 && line.substring(0, equals).matches("[A-Za-z]+")) {
        result.put(line.substring(0, equals), line.substring(equals + 1).trim());
      }
    }
    return result;
  }
}
