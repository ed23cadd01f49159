package dev.mmo.vs.gs;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * One VS replica started from the packaged jar, as production runs it, with its own HTTP and
 * management ports and the shared Redis, PostgreSQL and HSM token. For tests against the packaged
 * application (*IT).
 */
final class VsProcess implements AutoCloseable {
  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
  private static final Path HSM =
      Path.of("..", "infra", "softhsm", "work").toAbsolutePath().normalize();

  /** The VS re-initializes a stuck PKCS#11 library through SunPKCS11's wrapper (TokenModule). */
  private static final String ADD_OPENS =
      "--add-opens=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";

  private final Process process;
  private final int port;
  private final int managementPort;
  private final Path log;

  private VsProcess(Process process, int port, int managementPort, Path log) {
    this.process = process;
    this.port = port;
    this.managementPort = managementPort;
    this.log = log;
  }

  /** Starts a replica and waits until it reports ready. */
  static VsProcess start(String name, Map<String, String> extraEnv) throws Exception {
    int port = freePort();
    int managementPort = freePort();
    Path log = Files.createTempFile("vs-" + name + "-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                ADD_OPENS,
                "-jar",
                JAR.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("MMO_VS_PORT", Integer.toString(port));
    env.put("MMO_VS_MANAGEMENT_PORT", Integer.toString(managementPort));
    env.put("SOFTHSM2_CONF", HSM.resolve("softhsm2.conf").toString());
    env.put("MMO_HSM_CONFIG", HSM.resolve("sunpkcs11.cfg").toString());
    env.putIfAbsent("MMO_HSM_PIN", System.getenv().getOrDefault("MMO_HSM_PIN", "mmo-dev-pin"));
    env.put(
        "MMO_JWT_PUBLIC_KEY",
        Path.of("..", "infra", "jwt", "work", "jwt-public-key.pem")
            .toAbsolutePath()
            .normalize()
            .toString());
    env.put("MMO_DB_NAME", System.getenv().getOrDefault("MMO_TEST_DB", "mmo_test"));
    env.put("MMO_REDIS_DB", System.getenv().getOrDefault("MMO_TEST_REDIS_DB", "1"));
    env.put(
        "MMO_RABBITMQ_VHOST", System.getenv().getOrDefault("MMO_TEST_RABBITMQ_VHOST", "mmo_test"));
    env.put("MMO_VS_SESSION_TICKET_INTERVAL", "300ms");
    env.put("MMO_VS_SESSION_TICKET_LIFETIME", "1s");
    // Tests that send no heartbeats must not lose their sessions to the silence sweeper.
    env.put("MMO_VS_ATTEST_MAX_SILENCE", "9m");
    env.putAll(extraEnv);
    VsProcess vs = new VsProcess(builder.start(), port, managementPort, log);
    vs.awaitReady(Duration.ofSeconds(60));
    return vs;
  }

  URI httpBase() {
    return URI.create("http://127.0.0.1:" + port);
  }

  URI gsEndpoint() {
    return URI.create("ws://127.0.0.1:" + port + "/gs");
  }

  private void awaitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
            .build();
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException("VS exited:\n" + Files.readString(log));
                }
                try {
                  return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode()
                      == 200;
                } catch (IOException notListeningYet) {
                  return false;
                }
              });
    } catch (RuntimeException e) {
      close();
      throw new IllegalStateException("VS not ready:\n" + Files.readString(log), e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Stops the replica the hard way, as a crash would. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
