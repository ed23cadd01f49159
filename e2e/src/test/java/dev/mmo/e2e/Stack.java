package dev.mmo.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** What the suite shares: where the repository is, free ports, child processes, waiting. */
final class Stack {
  /** The repository root: the suite runs in {@code e2e/}. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private Stack() {}

  /** The java of this JVM, so children run on the same JDK. */
  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  /** Runs a command to its end in {@code dir}; its output lines; fails unless it exits 0. */
  static List<String> run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(Arrays.toString(command) + " failed:\n" + out);
    }
    return new ArrayList<>(out.lines().toList());
  }

  /** Waits for {@code condition}; on timeout fails with {@code what} and {@code context}. */
  static void await(
      Duration timeout, String what, Callable<Boolean> condition, Supplier<String> context) {
    try {
      Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(what + " not within " + timeout + "; " + context.get(), e);
    }
  }

  /** The last lines of a log, for failure messages. */
  /** Kills {@code process} (if any) at once and waits until it is gone. */
  static void kill(Process process) {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
