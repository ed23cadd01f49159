package dev.mmo.bench;

import dev.mmo.gs.play.PlayServer;
import dev.mmo.gs.play.PlaySettings;
import dev.mmo.protocol.wire.Codec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Verified inputs per second end to end: the real {@code /play} server (2 connection event loops,
 * the match on one more) in this JVM, {@code clients} clients in a child JVM ({@link GsClients})
 * sending pre-signed inputs as fast as their sockets take them, over loopback WebSockets, on the
 * same two cores. Raw verify on two threads is measured in this JVM just before and just after. Not
 * a JMH benchmark: one measurement.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.mmo.bench.GsLoad [clients] [seconds]}
 */
public final class GsLoad {
  private GsLoad() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    // Enough pre-signed inputs that no client runs dry at 40k/s in total.
    int perClient = 40_000 * (seconds + 4) / clients;
    Vertx vertx = Vertx.vertx();
    BenchSession session = new BenchSession(System.currentTimeMillis());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    PlaySettings settings =
        PlaySettings.defaults(BenchSession.GS_ID)
            .withHost("127.0.0.1")
            .withPort(0)
            .withEventLoops(2)
            .withMaxClients(clients + 10)
            .withInputRate(1_000_000, 1_000_000)
            .withTranscriptDir(Files.createTempDirectory("mmo-gs-load"));
    PlayServer server = new PlayServer(vertx, settings, session, meters, Clock.systemUTC());
    int port = server.start().await(30, TimeUnit.SECONDS);

    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                GsClients.class.getName(),
                String.valueOf(port),
                String.valueOf(clients),
                String.valueOf(perClient))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    if (!"ready".equals(out.readLine())) {
      throw new IllegalStateException("clients did not start");
    }
    double rawBefore = rawVerify2Threads(3);
    OutputStream stdin = child.getOutputStream();
    stdin.write("go\n".getBytes(StandardCharsets.US_ASCII));
    stdin.flush();
    Thread.sleep(3_000);
    double start = verified(meters);
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1_000L);
    double inputs = verified(meters) - start;
    double elapsed = (System.nanoTime() - t0) / 1e9;
    stdin.write("stop\n".getBytes(StandardCharsets.US_ASCII));
    stdin.close();
    child.waitFor(30, TimeUnit.SECONDS);
    double rawAfter = rawVerify2Threads(3);
    server.stop().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);

    double rate = inputs / elapsed;
    double raw = (rawBefore + rawAfter) / 2;
    System.out.printf(
        "end to end: %,.0f verified inputs/s (%d clients, %d s); raw verify on 2 threads %,.0f/s"
            + " before, %,.0f/s after; ratio %.3f%n",
        rate, clients, seconds, rawBefore, rawAfter, rate / raw);
  }

  private static double verified(SimpleMeterRegistry meters) {
    return meters.counter("mmo.gs.inputs.verified").count();
  }

  private static double rawVerify2Threads(int seconds) throws InterruptedException {
    BenchInput input = BenchInput.create();
    byte[] signature = input.signed.signature().bytes().toByteArray();
    Ed25519.PublicPoint point =
        Ed25519.validatePublicKeyFullExport(input.clientKey.publicKey().bytes().toByteArray(), 0);
    byte[] message = Codec.signingInput(input.signed.body());
    long[] counts = new long[2];
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    Thread[] threads = new Thread[2];
    for (int t = 0; t < 2; t++) {
      int index = t;
      threads[t] =
          new Thread(
              () -> {
                while (System.nanoTime() < deadline) {
                  if (Ed25519.verify(signature, 0, point, message, 0, message.length)) {
                    counts[index]++;
                  }
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return (counts[0] + counts[1]) / (double) seconds;
  }
}
