package dev.mmo.vs.hsm;

import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.crypto.EcdsaP256;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.vs.config.VsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.management.ObjectName;

/**
 * A JVM of its own in which {@link HsmFaultRecoveryTest} breaks the real SoftHSM token under a real
 * {@link HsmSigner}: faults that are process-wide (no descriptor left) or that leave the PKCS#11
 * library stuck for the rest of the process must not leak into the test JVM. It prints what it
 * measured as {@code key=value} lines; the test asserts on them.
 *
 * <p>Arguments: the scenario ({@code exhaust}, {@code reset} or {@code repeat}), the SunPKCS11
 * configuration, and the token directory that {@code reset} and {@code repeat} take away for a
 * moment. The token directory must be a copy that nothing else uses.
 */
final class HsmFaultChild {
  static final Duration PROBE_INTERVAL = Duration.ofMillis(200);
  static final int REPEATS = 15;

  /** One per login; each holds its sessions, so these also count the native sessions held. */
  private static final String PROVIDER_CLASS = "sun.security.pkcs11.SunPKCS11";

  private static final String SESSION_CLASS = "sun.security.pkcs11.Session";
  private static final byte[] MESSAGE =
      "mmo/v1/batch-head\0 fault recovery test".getBytes(StandardCharsets.US_ASCII);

  private final HsmSigner signer;
  private final SimpleMeterRegistry registry;

  /** Read before any fault: with no descriptor left, the file could not be read. */
  private final EcdsaP256PublicKey tokenKey = SoftHsmFixture.vsPublicKey();

  private HsmFaultChild(HsmSigner signer, SimpleMeterRegistry registry) {
    this.signer = signer;
    this.registry = registry;
  }

  public static void main(String[] args) throws Exception {
    Path config = Path.of(args[1]);
    Vertx vertx = Vertx.vertx();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HsmSigner signer = new HsmSigner(vsConfig(config), registry, vertx);
    signer.start(null);
    HsmFaultChild child = new HsmFaultChild(signer, registry);
    await().atMost(Duration.ofSeconds(30)).until(() -> signer.status().up());
    report("signedBefore", child.signsAndVerifies());
    switch (args[0]) {
      case "exhaust" -> child.outage(HsmFaultChild::exhaustDescriptors);
      case "reset" -> child.outage(() -> takeAway(Path.of(args[2])));
      case "repeat" -> child.repeat(Path.of(args[2]));
      default -> throw new IllegalArgumentException(args[0]);
    }
    signer.stop();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Starts a fault, checks the signer fails closed, ends the fault, times the recovery. */
  private void outage(Supplier<AutoCloseable> fault) throws Exception {
    try (AutoCloseable ignored = fault.get()) {
      report("signFailedDuringFault", !signsAndVerifies());
      // Several probes, each a login attempt (and, from the second failure on, a re-initialized
      // library), all fail while the fault lasts.
      await()
          .during(PROBE_INTERVAL.multipliedBy(5))
          .atMost(PROBE_INTERVAL.multipliedBy(10))
          .until(() -> !signer.status().up());
      report("stayedDownDuringFault", true);
    }
    long start = System.nanoTime();
    await().atMost(Duration.ofSeconds(30)).until(() -> signer.status().up());
    report("recoveryMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    report("signedAfter", signsAndVerifies());
    report("reinitializations", (long) registry.counter("mmo.vs.hsm.reinitializations").count());
  }

  /** Many outages in a row: what a recovery leaves behind must not grow with their number. */
  private void repeat(Path tokenDirectory) throws Exception {
    long threadsBefore = liveThreads();
    long providersBefore = liveInstances(PROVIDER_CLASS);
    long sessionsBefore = liveInstances(SESSION_CLASS);
    int recovered = 0;
    for (int i = 0; i < REPEATS; i++) {
      double loginFailures = registry.counter("mmo.vs.hsm.failures", "stage", "login").count();
      try (AutoCloseable ignored = takeAway(tokenDirectory)) {
        signsAndVerifies();
        // At least one probe's login failed: the next login re-initializes the library.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    registry.counter("mmo.vs.hsm.failures", "stage", "login").count()
                        > loginFailures);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> signer.status().up());
      recovered += signsAndVerifies() ? 1 : 0;
    }
    report("recovered", recovered);
    report("reinitializations", (long) registry.counter("mmo.vs.hsm.reinitializations").count());
    report("threadsBefore", threadsBefore);
    report("threadsAfter", liveThreads());
    report("providersBefore", providersBefore);
    report("providersAfter", liveInstances(PROVIDER_CLASS));
    report("sessionsBefore", sessionsBefore);
    report("sessionsAfter", liveInstances(SESSION_CLASS));
  }

  private boolean signsAndVerifies() {
    try {
      EcdsaP256Signature signature =
          signer.signAsync(MESSAGE).await().atMost(Duration.ofSeconds(10));
      return EcdsaP256.verify(tokenKey, MESSAGE, signature);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Opens /dev/null until the process has no descriptor left; closing gives them all back. */
  private static AutoCloseable exhaustDescriptors() {
    List<InputStream> held = new ArrayList<>();
    try {
      while (true) {
        held.add(new FileInputStream("/dev/null"));
      }
    } catch (IOException e) {
      report("descriptorsHeld", held.size());
    }
    return () -> {
      for (InputStream stream : held) {
        stream.close();
      }
    };
  }

  /** Moves the token's directory aside (as a restore or re-provisioning would), then back. */
  private static AutoCloseable takeAway(Path tokenDirectory) {
    try (Stream<Path> tokens = Files.list(tokenDirectory)) {
      Path token = tokens.filter(Files::isDirectory).findFirst().orElseThrow();
      Path aside = tokenDirectory.resolveSibling("aside");
      Files.move(token, aside);
      return () -> Files.move(aside, token);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Live instances of a class after a full collection, from the JVM's class histogram (the
   * diagnostic command behind {@code jcmd GC.class_histogram}).
   */
  private static long liveInstances(String className) throws Exception {
    String histogram =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    // Rows: "rank: instances bytes class-name (module)".
    return histogram
        .lines()
        .map(line -> line.trim().split("\\s+"))
        .filter(row -> row.length >= 4 && row[3].equals(className))
        .mapToLong(row -> Long.parseLong(row[1]))
        .sum();
  }

  private static long liveThreads() {
    System.gc();
    return Thread.getAllStackTraces().size();
  }

  private static void report(String key, Object value) {
    System.out.println(key + "=" + value);
  }

  /** Only {@code hsm()} is read by the signer. */
  private static VsConfig vsConfig(Path config) {
    VsConfig.Hsm hsm =
        new VsConfig.Hsm() {
          @Override
          public Path config() {
            return config;
          }

          @Override
          public String pin() {
            return System.getenv().getOrDefault("MMO_HSM_PIN", "mmo-dev-pin");
          }

          @Override
          public String keyAlias() {
            return System.getenv().getOrDefault("MMO_HSM_KEY_ALIAS", "mmo-vs-1");
          }

          @Override
          public int signThreads() {
            return 2;
          }

          @Override
          public Duration probeInterval() {
            return PROBE_INTERVAL;
          }
        };
    return (VsConfig)
        Proxy.newProxyInstance(
            VsConfig.class.getClassLoader(),
            new Class<?>[] {VsConfig.class},
            (proxy, method, args) -> {
              if (method.getName().equals("hsm")) {
                return hsm;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
