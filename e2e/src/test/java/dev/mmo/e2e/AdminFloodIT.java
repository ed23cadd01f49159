package dev.mmo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.world.Vec2;
import dev.mmo.transport.RawWebSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API cannot take the VS from its game servers (vs-quarkus/README.md, "Admin load"): on a
 * real VS process, a bystander game server sends a heartbeat and a digest every heartbeat interval
 * and a new game server joins every second, first in a calm window, then while four operators post
 * the largest receipt verifications back to back, then while tokens signed with a stranger's key
 * arrive from 64 addresses. Every join must be admitted and every digest get its receipt; the
 * receipt latency, the joins and the VS's CPU of each window are printed (docs/benchmarks.md).
 */
class AdminFloodIT {
  private static final Duration CALM = Duration.ofSeconds(8);
  private static final Duration FLOOD = Duration.ofSeconds(10);
  private static final int OPERATORS = 4;
  private static final int BAD_TOKEN_SOURCES = 64;

  /** The largest verification: mmo.admin.max-verify-items transcript inputs. */
  private static final int MAX_VERIFY_ITEMS = 10_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private static Vs vs;
  private static Admin admin;
  private static VsProofVerifier proofs;

  @BeforeAll
  static void startVs() throws Exception {
    vs = Vs.start(Map.of());
    admin = Admin.of(vs);
    proofs = admin.proofVerifier();
  }

  @AfterAll
  static void stopVs() {
    if (vs != null) {
      vs.close();
    }
  }

  /** What one window measured. */
  record Window(
      String name,
      List<Long> receiptMs,
      int digests,
      int joined,
      int joinsTried,
      Map<String, Integer> floodAnswers,
      double vsCpuCores) {
    long percentile(double p) {
      List<Long> sorted = new ArrayList<>(receiptMs);
      Collections.sort(sorted);
      return sorted.isEmpty()
          ? -1
          : sorted.get((int) Math.min(sorted.size() - 1, p * sorted.size()));
    }

    @Override
    public String toString() {
      return String.format(
          "%-11s digest -> receipt p50 %4d ms, p99 %4d ms, max %4d ms (%d receipts of %d digests);"
              + " joins %d of %d; VS CPU %.2f cores; flood answers %s",
          name,
          percentile(0.5),
          percentile(0.99),
          percentile(1.0),
          receiptMs.size(),
          digests,
          joined,
          joinsTried,
          vsCpuCores,
          floodAnswers);
    }
  }

  @Test
  void adminAndBadTokenFloods_leaveJoinsAdmittedAndEveryReceiptIssued() throws Exception {
    try (RogueGs bystander = RogueGs.joined(vs, admin, proofs)) {
      byte[] verification = largestVerification(bystander.accept().sessionId());
      List<String> operatorTokens = new ArrayList<>();
      for (int i = 0; i < OPERATORS; i++) {
        operatorTokens.add(mint("operator", "flood-operator-" + i));
      }
      GsTraffic traffic = new GsTraffic(bystander);
      Window calm = window("calm", traffic, CALM, answers -> List.of());
      Window adminFlood =
          window(
              "admin flood",
              traffic,
              FLOOD,
              (answers) -> adminFlood(bystander, verification, operatorTokens, answers));
      Window badTokens = window("bad tokens", traffic, FLOOD, this::badTokenFlood);
      traffic.close();
      for (Window w : List.of(calm, adminFlood, badTokens)) {
        System.out.println("[admin-flood] " + w);
      }
      for (Window w : List.of(calm, adminFlood, badTokens)) {
        assertThat(w.joined()).as(w.name() + ": every join admitted").isEqualTo(w.joinsTried());
        assertThat(w.receiptMs())
            .as(w.name() + ": every digest got its receipt")
            .hasSize(w.digests());
      }
      assertThat(adminFlood.floodAnswers()).as("the admin limits engaged").containsKey("429");
      assertThat(badTokens.floodAnswers()).as("the bad-token limit engaged").containsKey("429");
    }
  }

  /** A flood: starts its threads, which count answers by status until the window ends. */
  @FunctionalInterface
  private interface Flood {
    List<Thread> start(FloodAnswers answers) throws Exception;
  }

  /** Answers by status, and the switch that stops the flood. */
  static final class FloodAnswers {
    final AtomicBoolean stop = new AtomicBoolean();
    final Map<String, AtomicInteger> byStatus = new ConcurrentHashMap<>();

    void count(String answer) {
      String status = answer.length() >= 12 ? answer.substring(9, 12) : "none";
      byStatus.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    }

    Map<String, Integer> snapshot() {
      Map<String, Integer> out = new java.util.TreeMap<>();
      byStatus.forEach((k, v) -> out.put(k, v.get()));
      return out;
    }
  }

  private Window window(String name, GsTraffic traffic, Duration length, Flood flood)
      throws Exception {
    FloodAnswers answers = new FloodAnswers();
    List<Thread> attackers = flood.start(answers);
    long cpuBefore = cpuNanos();
    long start = System.nanoTime();
    int joined = 0;
    int tried = 0;
    long end = System.nanoTime() + length.toNanos();
    while (System.nanoTime() < end) {
      tried++;
      try (RogueGs newcomer = RogueGs.joined(vs, admin, proofs)) {
        joined++;
      } catch (Exception | AssertionError e) {
        System.out.println("[admin-flood] " + name + ": join failed: " + e);
      }
      Thread.sleep(Math.max(0, Math.min(1_000, (end - System.nanoTime()) / 1_000_000)));
    }
    double cpu = (cpuNanos() - cpuBefore) / 1e9 / length.toSeconds();
    answers.stop.set(true);
    for (Thread t : attackers) {
      t.join(30_000);
    }
    long[] counts = new long[1];
    List<Long> receipts = traffic.receiptsOfDigestsSent(start, end, counts);
    return new Window(name, receipts, (int) counts[0], joined, tried, answers.snapshot(), cpu);
  }

  /** Operators posting the largest verification of the bystander's receipts, back to back. */
  private List<Thread> adminFlood(
      RogueGs bystander, byte[] body, List<String> tokens, FloodAnswers answers) {
    List<Thread> threads = new ArrayList<>();
    String path = "/api/sessions/" + bystander.accept().sessionId().hex() + "/receipts/verify";
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      String source = "127.0.9." + (i + 1);
      threads.add(
          attacker(
              answers,
              () -> {
                try (RawWebSocket raw = connect(source)) {
                  raw.send(
                      ("POST "
                              + path
                              + " HTTP/1.1\r\nHost: vs\r\nAuthorization: Bearer "
                              + token
                              + "\r\nContent-Type: application/json\r\nContent-Length: "
                              + body.length
                              + "\r\nConnection: close\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
                  raw.send(body);
                  return raw.readAnswer();
                }
              }));
    }
    return threads;
  }

  /** Tokens signed with a key the VS does not trust, each new, from 64 addresses in turn. */
  private List<Thread> badTokenFlood(FloodAnswers answers) throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    PrivateKey stranger = rsa.generateKeyPair().getPrivate();
    AtomicLong next = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < OPERATORS; i++) {
      threads.add(
          attacker(
              answers,
              () -> {
                String source = "127.0.10." + (1 + next.getAndIncrement() % BAD_TOKEN_SOURCES);
                try (RawWebSocket raw = connect(source)) {
                  raw.send(
                      ("GET /api/sessions HTTP/1.1\r\nHost: vs\r\nAuthorization: Bearer "
                              + forged(stranger)
                              + "\r\nConnection: close\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
                  return raw.readAnswer();
                }
              }));
    }
    return threads;
  }

  @FunctionalInterface
  private interface Request {
    String send() throws Exception;
  }

  private static Thread attacker(FloodAnswers answers, Request request) {
    Thread t =
        new Thread(
            () -> {
              while (!answers.stop.get()) {
                try {
                  answers.count(request.send());
                } catch (Exception e) {
                  answers.count("closed");
                }
              }
            });
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static RawWebSocket connect(String source) throws IOException {
    return RawWebSocket.connect("127.0.0.1", vs.http().getPort(), InetAddress.getByName(source));
  }

  /** A JSON body with {@value #MAX_VERIFY_ITEMS} signed inputs of {@code session}. */
  private static byte[] largestVerification(SessionId session) {
    Ed25519KeyPair player = Ed25519KeyPair.generate(RANDOM);
    Hash ticket = Sha256.hash("flood ticket".getBytes(StandardCharsets.US_ASCII));
    StringBuilder json = new StringBuilder("{\"transcript\":[");
    for (int i = 1; i <= MAX_VERIFY_ITEMS; i++) {
      ClientInput input = new ClientInput(session, 1, ticket, i, new Vec2(1, 0), 0);
      json.append(i > 1 ? "," : "")
          .append('"')
          .append(Base64.getEncoder().encodeToString(Codec.encode(Signed.sign(input, player))))
          .append('"');
    }
    return json.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** An RS256 token with the claims the VS expects, signed with {@code key}. */
  private static String forged(PrivateKey key) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String header = url.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes());
    String claims =
        url.encodeToString(
            ("{\"iss\":\"mmo-dev\",\"aud\":\"mmo-vs\",\"sub\":\"intruder\",\"upn\":\"intruder\","
                    + "\"groups\":[\"admin\"],\"iat\":"
                    + now
                    + ",\"exp\":"
                    + (now + 600)
                    + ",\"jti\":\""
                    + RANDOM.nextLong()
                    + "\"}")
                .getBytes(StandardCharsets.US_ASCII));
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initSign(key);
    rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
    return header + "." + claims + "." + url.encodeToString(rs256.sign());
  }

  private static String mint(String role, String subject) throws Exception {
    List<String> minted =
        Stack.run(
            Stack.ROOT,
            Stack.ROOT.resolve("infra/jwt/mint-token.sh").toString(),
            role,
            subject,
            "3600");
    return minted.get(minted.size() - 1).trim();
  }

  private static long cpuNanos() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + vs.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
  }
}
