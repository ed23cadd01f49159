package dev.mmo.bench;

import dev.mmo.gs.play.PlayServer;
import dev.mmo.gs.play.PlaySettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Heap per connected client of the real {@code /play} server (not a JMH benchmark: one
 * measurement). The server runs in this JVM; {@link GsClients} runs in a child JVM, so that no
 * client-side memory is counted. Heap used after a full GC is read with no client, then with {@code
 * n} clients that completed the handshake, sent an input and receive a snapshot every tick.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.mmo.bench.GsMemory [clients]}
 */
public final class GsMemory {
  private GsMemory() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Vertx vertx = Vertx.vertx();
    BenchSession session = new BenchSession(System.currentTimeMillis());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Path transcripts = Files.createTempDirectory("mmo-gs-memory");
    PlaySettings settings =
        PlaySettings.defaults(BenchSession.GS_ID)
            .withHost("127.0.0.1")
            .withPort(0)
            .withEventLoops(2)
            .withMaxClients(clients + 10)
            .withTranscriptDir(transcripts);
    PlayServer server = new PlayServer(vertx, settings, session, meters, Clock.systemUTC());
    int port = server.start().await(30, TimeUnit.SECONDS);
    Thread.sleep(2_000);
    long before = heapAfterGc();

    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                GsClients.class.getName(),
                String.valueOf(port),
                String.valueOf(clients))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (!"ready".equals(line)) {
      throw new IllegalStateException("clients did not start: " + line);
    }
    double connected = meters.get("mmo.gs.clients.connected").gauge().value();
    Thread.sleep(3_000);
    long with = heapAfterGc();
    double verified = meters.counter("mmo.gs.inputs.verified").count();
    try (OutputStream stdin = child.getOutputStream()) {
      stdin.write('\n');
    }
    child.waitFor(30, TimeUnit.SECONDS);
    server.stop().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);

    System.out.printf(
        "clients connected %.0f, inputs verified %.0f%n"
            + "heap after GC: %,d B without clients, %,d B with them%n"
            + "per connected client: %,d B%n",
        connected, verified, before, with, (with - before) / clients);
  }

  private static long heapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      memory.gc();
      Thread.sleep(200);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
