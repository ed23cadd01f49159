package dev.mmo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.transport.RawWebSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Connections until the descriptors run out (vs-quarkus/README.md, "Connection budgets"), on a real
 * VS process started with a descriptor limit of {@value #DESCRIPTORS}: idle connections from one
 * source and then from many, while a bystander game server sends heartbeats and digests. With its
 * budgets the VS refuses the flood at the accept, stays ready, answers probes and loses none of the
 * bystander's receipts; once the flood is gone, new connections are served at once. With its
 * descriptor limit lowered under the budget after start, the flood takes every descriptor, and the
 * VS is ready again by itself, without a restart, once it is gone.
 */
class DescriptorBudgetIT {
  private static final int DESCRIPTORS = 4096;

  /**
   * The main port's budget at that limit: less the reserve (1,024) and the management port's 64.
   */
  private static final int MAIN_BUDGET = DESCRIPTORS - 1024 - 64;

  /** What the second test lowers the running VS's descriptor limit to. */
  private static final int EXHAUSTED_LIMIT = 1024;

  private static final Duration READY_AGAIN_WITHIN = Duration.ofSeconds(30);

  @Test
  void floods_refusedAtTheAccept_theVsStaysReady_noReceiptLost() throws Exception {
    try (Vs vs = Vs.startWithDescriptorLimit(DESCRIPTORS, Map.of())) {
      Admin admin = Admin.of(vs);
      VsProofVerifier proofs = admin.proofVerifier();
      assertThat(vs.logText()).contains("main port " + MAIN_BUDGET + " open");
      try (RogueGs bystander = RogueGs.joined(vs, admin, proofs);
          GsTraffic traffic = new GsTraffic(bystander)) {
        long start = System.nanoTime();
        // One source: its 1,024 connections, then refused.
        List<RawWebSocket> one = flood(vs, 1_100, i -> "127.0.12.1");
        assertThat(ended(one))
            .as("over the per-source limit")
            .isGreaterThanOrEqualTo(1_100 - 1_024);
        assertThat(ready(vs)).isEqualTo(200);
        close(one);
        // Many sources: the port's budget, then refused.
        List<RawWebSocket> many = flood(vs, MAIN_BUDGET + 200, i -> "127.0.13." + (1 + i % 250));
        int refused = ended(many);
        assertThat(refused).as("over the port's budget").isGreaterThanOrEqualTo(200);
        assertThat(ready(vs)).as("the management port has its own budget").isEqualTo(200);
        Thread.sleep(3_000);
        assertThat(ready(vs)).isEqualTo(200);
        close(many);
        long end = System.nanoTime();

        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(admin.trustAnchors()).isNotEmpty());
        long[] digests = new long[1];
        List<Long> receipts = traffic.receiptsOfDigestsSent(start, end, digests);
        System.out.printf(
            "[descriptor-budget] flood of %d connections (budget %d): %d refused at the accept;"
                + " bystander %d digests, %d receipts, slowest %d ms%n",
            many.size(),
            MAIN_BUDGET,
            refused,
            digests[0],
            receipts.size(),
            receipts.stream().mapToLong(Long::longValue).max().orElse(-1));
        assertThat(digests[0]).isGreaterThan(3);
        assertThat(receipts).as("no receipt of the running session lost").hasSize((int) digests[0]);
      }
    }
  }

  @Test
  void limitLoweredUnderTheBudget_theFloodTakesEveryDescriptor_readyAgainWithoutARestart()
      throws Exception {
    try (Vs vs = Vs.startWithDescriptorLimit(DESCRIPTORS, Map.of())) {
      // The budget was made for 4,096 descriptors; the process now has a quarter of them, so the
      // flood takes every one: the fault the budget prevents, to show the VS recovers from it.
      vs.lowerDescriptorLimit(EXHAUSTED_LIMIT);
      List<RawWebSocket> flood = flood(vs, EXHAUSTED_LIMIT + 100, i -> "127.0.14." + (1 + i % 250));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> ready(vs) != 200);
      // Held past the HSM signer's probe interval (5 s), so the token is used while nothing is
      // left.
      Thread.sleep(8_000);
      long released = System.nanoTime();
      close(flood);
      Awaitility.await()
          .atMost(READY_AGAIN_WITHIN)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> ready(vs) == 200);
      long readyMs = (System.nanoTime() - released) / 1_000_000;
      System.out.printf(
          "[descriptor-budget] every descriptor taken: ready again %d ms after the flood ended"
              + " (the HSM signer %s during it)%n",
          readyMs,
          vs.logText().contains("HSM token unusable") ? "failed and recovered" : "kept signing");
      Admin admin = Admin.of(vs);
      try (RogueGs newcomer = RogueGs.joined(vs, admin, admin.proofVerifier())) {
        assertThat(newcomer.accept()).isNotNull();
      }
    }
  }

  @FunctionalInterface
  private interface SourceOf {
    String of(int i);
  }

  private static List<RawWebSocket> flood(Vs vs, int connections, SourceOf source)
      throws IOException {
    List<RawWebSocket> open = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      try {
        open.add(
            RawWebSocket.connect(
                "127.0.0.1", vs.http().getPort(), InetAddress.getByName(source.of(i))));
      } catch (IOException refused) {
        // the kernel's backlog is full: the flood has reached what the VS takes
      }
    }
    return open;
  }

  /** How many of {@code connections} the VS has closed. */
  private static int ended(List<RawWebSocket> connections) throws IOException {
    int ended = 0;
    for (RawWebSocket raw : connections) {
      if (raw.awaitEnd(Duration.ofMillis(3))) {
        ended++;
      }
    }
    return ended;
  }

  private static void close(List<RawWebSocket> connections) throws IOException {
    for (RawWebSocket raw : connections) {
      raw.close();
    }
  }

  /**
   * The status of the readiness endpoint, or -1 when it cannot be reached; one connection per ask,
   * closed after it, so the probe never holds the management port's connections itself.
   */
  private static int ready(Vs vs) {
    try (RawWebSocket probe =
        RawWebSocket.connect("127.0.0.1", vs.managementPort()).readTimeout(Duration.ofSeconds(2))) {
      probe.send(
          "GET /q/health/ready HTTP/1.1\r\nHost: vs\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      String head = probe.readHead();
      return Integer.parseInt(head.substring(9, 12));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
