package dev.mmo.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * One VS replica from its packaged jar, as production runs it: its own ports, the machine's Redis,
 * PostgreSQL, RabbitMQ and the project's SoftHSM token. It can be killed and started again on the
 * same ports, as a crash and a restart would.
 */
final class Vs implements AutoCloseable {
  private static final Path JAR =
      Stack.ROOT.resolve("vs-quarkus/target/quarkus-app/quarkus-run.jar");
  private static final Path HSM = Stack.ROOT.resolve("infra/softhsm/work");

  /**
   * The VS re-initializes a stuck PKCS#11 library through SunPKCS11's wrapper (vs-quarkus README).
   */
  private static final String ADD_OPENS =
      "--add-opens=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";

  private final int port = Stack.freePort();
  private final int managementPort = Stack.freePort();
  private final Path log;
  private final Map<String, String> extraEnv;
  private final List<String> command;
  private Process process;

  private Vs(Path log, Map<String, String> extraEnv, List<String> launcher) {
    this.log = log;
    this.extraEnv = extraEnv;
    this.command = new ArrayList<>(launcher);
    this.command.addAll(List.of(Stack.java(), ADD_OPENS, "-jar", JAR.toString()));
  }

  /** Starts a replica and waits until it reports ready. */
  static Vs start(Map<String, String> extraEnv) throws Exception {
    Vs vs = new Vs(Files.createTempFile("e2e-vs-", ".log"), extraEnv, List.of());
    vs.launch();
    return vs;
  }

  /** Starts a replica whose process may hold at most {@code descriptors} open files. */
  static Vs startWithDescriptorLimit(int descriptors, Map<String, String> extraEnv)
      throws Exception {
    Vs vs =
        new Vs(
            Files.createTempFile("e2e-vs-", ".log"),
            extraEnv,
            List.of("prlimit", "--nofile=" + descriptors + ":" + descriptors, "--"));
    vs.launch();
    return vs;
  }

  private void launch() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.put("MMO_VS_PORT", Integer.toString(port));
    env.put("MMO_VS_MANAGEMENT_PORT", Integer.toString(managementPort));
    env.put("SOFTHSM2_CONF", HSM.resolve("softhsm2.conf").toString());
    env.put("MMO_HSM_CONFIG", HSM.resolve("sunpkcs11.cfg").toString());
    env.putIfAbsent("MMO_HSM_PIN", "mmo-dev-pin");
    env.put(
        "MMO_JWT_PUBLIC_KEY", Stack.ROOT.resolve("infra/jwt/work/jwt-public-key.pem").toString());
    env.put("MMO_DB_NAME", System.getenv().getOrDefault("MMO_TEST_DB", "mmo_test"));
    env.put("MMO_REDIS_DB", System.getenv().getOrDefault("MMO_TEST_REDIS_DB", "1"));
    env.put(
        "MMO_RABBITMQ_VHOST", System.getenv().getOrDefault("MMO_TEST_RABBITMQ_VHOST", "mmo_test"));
    env.putAll(extraEnv);
    process = builder.start();
    awaitReady(Duration.ofSeconds(90));
  }

  long pid() {
    return process.pid();
  }

  /** Lowers the running replica's descriptor limit, as an operator or a runtime could. */
  void lowerDescriptorLimit(int descriptors) throws Exception {
    Stack.run(
        Stack.ROOT,
        "prlimit",
        "--pid",
        Long.toString(process.pid()),
        "--nofile=" + descriptors + ":" + descriptors);
  }

  int managementPort() {
    return managementPort;
  }

  String logText() throws IOException {
    return Files.readString(log);
  }

  URI http() {
    return URI.create("http://127.0.0.1:" + port);
  }

  URI gsEndpoint() {
    return URI.create("ws://127.0.0.1:" + port + "/gs");
  }

  /** Kills the replica, as a crash would, and starts it again on the same ports. */
  void crashAndRestart() throws Exception {
    Stack.kill(process);
    launch();
  }

  private void awaitReady(Duration timeout) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
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
                  return client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode()
                      == 200;
                } catch (IOException notListeningYet) {
                  return false;
                }
              });
    } catch (RuntimeException e) {
      Stack.kill(process);
      throw new IllegalStateException("VS not ready; log " + log + ":\n" + Stack.tail(log), e);
    }
  }

  @Override
  public void close() {
    Stack.kill(process);
  }
}
