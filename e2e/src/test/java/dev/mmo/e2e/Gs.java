package dev.mmo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One game server from its packaged jar: a long-term key made with its own {@code keygen}, enrolled
 * through the VS admin API with the body {@code keygen} prints, the VS's trust anchors from {@code
 * GET /api/trust-anchors}, then {@code run}, as an operator would set one up.
 */
final class Gs implements AutoCloseable {
  private static final Path JAR = Stack.ROOT.resolve("gs-vertx/target/gs-vertx.jar");
  private static final Pattern JOINED = Pattern.compile("joined: session ([0-9a-f]{32})");

  private final String id;
  private final Path dir;
  private final int playPort = Stack.freePort();
  private final int opsPort = Stack.freePort();
  private final HttpClient http = HttpClient.newHttpClient();
  private Process process;

  private Gs(String id, Path dir) {
    this.id = id;
    this.dir = dir;
  }

  /** Makes the key, enrolls it with {@code vs} and writes the trust anchors; does not start. */
  static Gs enrolled(String id, Vs vs, Admin admin) throws Exception {
    Path dir = Files.createTempDirectory("e2e-gs-" + id + "-");
    Gs gs = new Gs(id, dir);
    List<String> keygen =
        Stack.run(
            dir,
            Stack.java(),
            "-jar",
            JAR.toString(),
            "keygen",
            "--out",
            dir.resolve("gs-key.pem").toString(),
            "--gs-id",
            id);
    String enrollment = keygen.get(keygen.size() - 1);
    assertThat(enrollment).startsWith("{\"id\":\"" + id + "\"");
    admin.post("/api/game-servers", enrollment, 201);
    Files.writeString(dir.resolve("anchors.txt"), String.join("\n", admin.trustAnchors()) + "\n");
    return gs;
  }

  String id() {
    return id;
  }

  /** Starts {@code run} against {@code vs}; returns once the GS reports ready (blessed). */
  Gs start(Vs vs) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(Stack.java(), "-jar", JAR.toString(), "run")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("MMO_GS_"));
    env.put("MMO_GS_GS_ID", id);
    env.put("MMO_GS_VS_URL", vs.gsEndpoint().toString());
    env.put("MMO_GS_KEY_FILE", dir.resolve("gs-key.pem").toString());
    env.put("MMO_GS_TRUST_ANCHORS_FILE", dir.resolve("anchors.txt").toString());
    env.put("MMO_GS_PLAY_HOST", "127.0.0.1");
    env.put("MMO_GS_PLAY_PORT", Integer.toString(playPort));
    env.put("MMO_GS_OPS_HOST", "127.0.0.1");
    env.put("MMO_GS_OPS_PORT", Integer.toString(opsPort));
    env.put("MMO_GS_TRANSCRIPT_DIR", dir.resolve("transcripts").toString());
    process = builder.start();
    Stack.await(Duration.ofSeconds(60), "GS " + id + " ready", this::ready, this::describe);
    return this;
  }

  /** The GS process's id, for its CPU time in /proc. */
  long pid() {
    return process.pid();
  }

  URI play() {
    return URI.create("ws://127.0.0.1:" + playPort + "/play");
  }

  Path transcripts() {
    return dir.resolve("transcripts");
  }

  /** The session the GS joined, from its log; empty before the join. */
  Optional<String> session() throws IOException {
    Matcher m = JOINED.matcher(Files.readString(log()));
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    return Optional.ofNullable(last);
  }

  boolean ready() {
    return status("/health/ready") == 200;
  }

  /** A counter or gauge from the GS's /metrics; 0 when absent. */
  double metric(String name) throws Exception {
    for (String line : metrics()) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return 0;
  }

  /** The sum of every series of the GS's /metrics whose line starts with {@code prefix}. */
  double metricSum(String prefix) throws Exception {
    double sum = 0;
    for (String line : metrics()) {
      if (line.startsWith(prefix)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
      }
    }
    return sum;
  }

  private String[] metrics() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body()
        .split("\n");
  }

  /** The exit status once the process ended within {@code timeout}; empty if it still runs. */
  Optional<Integer> exitWithin(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? Optional.of(process.exitValue())
        : Optional.empty();
  }

  String logText() throws IOException {
    return Files.readString(log(), StandardCharsets.UTF_8);
  }

  private int status(String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + path)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return -1;
    }
  }

  private String describe() {
    try {
      return "GS "
          + id
          + (process.isAlive() ? "" : " exited " + process.exitValue())
          + ", log:\n"
          + Stack.tail(log());
    } catch (IOException e) {
      return "GS " + id + ": " + e;
    }
  }

  private Path log() {
    return dir.resolve("gs.log");
  }

  /** Stops the GS as an operator would (SIGTERM): the match ends and its transcript is closed. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("GS " + id + " did not stop within 30 s");
    }
    return process.exitValue();
  }

  Path anchors() {
    return dir.resolve("anchors.txt");
  }

  @Override
  public void close() {
    Stack.kill(process);
  }
}
