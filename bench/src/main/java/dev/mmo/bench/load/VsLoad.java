package dev.mmo.bench.load;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Heartbeat;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.JoinNonce;
import dev.mmo.protocol.wire.JoinRequest;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The VS under simulated game servers (not a test): N sessions over real WebSockets, each sending a
 * Heartbeat and a TranscriptDigest every heartbeat interval (1 s by default), as a game server
 * does. Measures the latency from a digest sent to its ProtectedReceipt received (batch window, HSM
 * signature and durable audit record included), then revokes some sessions through the admin API
 * and measures the decision to the signed Revoke at the game server.
 *
 * <p>With a probe command (a sixth argument), it also reports memory per session and CPU by
 * process. {@code probe memory}, run before the joins and again after the measured window, prints
 * the VS's heap after a full GC and Redis's {@code used_memory}, in bytes, and the Redis database's
 * key count; {@code probe cpu}, run at the start and the end of the measured window, prints {@code
 * name=ticks} lines of CPU time (bench/vs-load.sh). A line of progress goes out every 5 s of the
 * measured window.
 *
 * <pre>
 *   java -cp benchmarks.jar dev.mmo.bench.load.VsLoad http://127.0.0.1:8080 TOKEN SESSIONS SECONDS REVOKES [PROBE]
 * </pre>
 */
public final class VsLoad {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Hash SOFTWARE =
      Sha256.hash("mmo-load-gs".getBytes(StandardCharsets.US_ASCII));

  /** Sessions per enrolled game server: under the VS's joins per minute for one game server. */
  private static final int SESSIONS_PER_GS = 20;

  /** Joins sent before waiting for their answers: below the VS's binds in flight (1024 here). */
  private static final int JOINS_IN_FLIGHT = 200;

  /** How long joins refused with SERVICE_UNAVAILABLE are offered again, from the first join. */
  private static final long JOIN_PHASE_NANOS = TimeUnit.SECONDS.toNanos(120);

  /** A game server's first wait before it offers a refused join again; it doubles each pass. */
  private static final long RETRY_AFTER_MS = 2_000;

  /** The longest wait between two passes. */
  private static final long RETRY_AFTER_MAX_MS = 16_000;

  /** Joins offered at once in a pass after the first: a refused game server does not stampede. */
  private static final int RETRIES_IN_FLIGHT = 50;

  private final URI vs;
  private final String token;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
  private final ConcurrentLinkedQueue<Long> receiptNanos = new ConcurrentLinkedQueue<>();

  /** The latencies of the current progress window, drained at each progress line. */
  private final ConcurrentLinkedQueue<Long> windowNanos = new ConcurrentLinkedQueue<>();

  /** Every receipt received since the first join, warm-up included. */
  private final AtomicLong receiptsTotal = new AtomicLong();

  private final ConcurrentLinkedQueue<Long> revokeNanos = new ConcurrentLinkedQueue<>();

  /** Digests still without a receipt 5 s after they were sent. */
  private final AtomicLong receiptsMissing = new AtomicLong();

  /** Of those, the ones whose receipt came later: in the latencies too, so none is hidden. */
  private final AtomicLong receiptsLate = new AtomicLong();

  /** Joins the VS refused, by close reason (SERVICE_UNAVAILABLE while it is at capacity). */
  private final Map<String, Integer> refusedJoins = new ConcurrentHashMap<>();

  /** Sessions whose connection the VS closed after their join, by close reason. */
  private final Map<String, Integer> cutOff = new ConcurrentHashMap<>();

  private VsLoad(URI vs, String token) {
    this.vs = vs;
    this.token = token;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 5 && args.length != 6) {
      System.err.println(
          "usage: VsLoad <vs-url> <admin-token> <sessions> <seconds> <revokes> [probe-command]");
      System.exit(2);
    }
    VsLoad load = new VsLoad(URI.create(args[0]), args[1]);
    load.run(
        Integer.parseInt(args[2]),
        Integer.parseInt(args[3]),
        Integer.parseInt(args[4]),
        args.length == 6 ? args[5] : null);
    System.exit(0);
  }

  /** Runs the probe in one of its modes and returns what it printed. */
  private static String runProbe(String command, String mode) throws Exception {
    Process p = new ProcessBuilder(command, mode).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("probe " + mode + " failed: " + out);
    }
    return out;
  }

  /** What the probe saw: the VS heap after a full GC, Redis used_memory, Redis keys. */
  private record Memory(long heapBytes, long redisBytes, long redisKeys) {
    static Memory probe(String command) throws Exception {
      String out = runProbe(command, "memory");
      String[] f = out.split("\\s+");
      if (f.length != 3) {
        throw new IllegalStateException("probe printed " + out + "; want: heap redis keys");
      }
      return new Memory(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
    }
  }

  /**
   * CPU time so far, in clock ticks, by part of the machine: the probe's {@code name=ticks} lines
   * ({@code hz} is the tick rate; {@code busy} and {@code idle} are the whole machine's).
   */
  private record Cpu(Map<String, Long> ticks) {
    static Cpu probe(String command) throws Exception {
      Map<String, Long> ticks = new LinkedHashMap<>();
      for (String line : runProbe(command, "cpu").split("\\R")) {
        String[] kv = line.trim().split("=", 2);
        if (kv.length != 2) {
          throw new IllegalStateException("probe cpu printed " + line + "; want name=ticks");
        }
        ticks.put(kv[0], Long.parseLong(kv[1]));
      }
      for (String part : List.of("hz", "vs", "load", "busy", "idle")) {
        if (!ticks.containsKey(part)) {
          throw new IllegalStateException("probe cpu printed no " + part);
        }
      }
      return new Cpu(ticks);
    }

    /**
     * Cores each part used between {@code start} and this probe, over {@code seconds}, and CPU-ms
     * per session-second for the VS, so a reader sees where the machine's time went.
     */
    String since(Cpu start, double seconds, int sessions) {
      double hz = ticks.get("hz");
      StringBuilder out = new StringBuilder("CPU over the measured window, in cores:");
      for (Map.Entry<String, Long> e : ticks.entrySet()) {
        String part = e.getKey();
        if (part.equals("hz")) {
          continue;
        }
        double cores = (e.getValue() - start.ticks.get(part)) / hz / seconds;
        out.append(String.format(" %s %.2f,", part, cores));
      }
      out.setLength(out.length() - 1);
      double vsCores = (ticks.get("vs") - start.ticks.get("vs")) / hz / seconds;
      out.append(
          String.format(
              "%nVS CPU per session-second: %.3f ms (%d sessions)",
              vsCores * 1_000 / sessions, sessions));
      return out.toString();
    }
  }

  private void run(int sessions, int seconds, int revokes, String probe) throws Exception {
    Memory before = probe == null ? null : Memory.probe(probe);
    List<Session> all = new ArrayList<>();
    long joinStart = System.nanoTime();
    // First pass: every game server enrolls and offers its sessions. A join the VS refuses with
    // SERVICE_UNAVAILABLE (at capacity) is offered again in the next pass, after a game server's
    // backoff, until the join phase is over: the VS decides how many sessions it carries.
    List<Slot> offered = new ArrayList<>();
    List<Slot> chunk = new ArrayList<>();
    int made = 0;
    for (int g = 0; made < sessions; g++) {
      Ed25519KeyPair gsKey = Ed25519KeyPair.generate(RANDOM);
      GsId gs = new GsId("load-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE) + "-" + g);
      enroll(gs, gsKey);
      for (int i = 0; i < SESSIONS_PER_GS && made < sessions; i++, made++) {
        chunk.add(new Slot(gs, gsKey));
      }
      if (chunk.size() >= JOINS_IN_FLIGHT || made == sessions) {
        offered.addAll(joinAll(chunk, all));
        chunk = new ArrayList<>();
      }
    }
    long retryAfterMs = RETRY_AFTER_MS;
    for (int pass = 2;
        !offered.isEmpty() && System.nanoTime() - joinStart < JOIN_PHASE_NANOS;
        pass++) {
      System.out.printf(
          "  pass %d in %d ms: %d sessions joined, %d joins to offer again%n",
          pass, retryAfterMs, all.size(), offered.size());
      Thread.sleep(retryAfterMs);
      retryAfterMs = Math.min(RETRY_AFTER_MAX_MS, retryAfterMs * 2);
      List<Slot> again = new ArrayList<>();
      for (int from = 0; from < offered.size(); from += RETRIES_IN_FLIGHT) {
        again.addAll(
            joinAll(
                offered.subList(from, Math.min(offered.size(), from + RETRIES_IN_FLIGHT)), all));
      }
      offered = again;
    }
    System.out.printf(
        "joined %d sessions in %d ms; joins refused: %s%n",
        all.size(), (System.nanoTime() - joinStart) / 1_000_000, refusedJoins);
    Thread.sleep(10_000); // warm-up: the last sessions to join settle, the JIT warms up
    receiptNanos.clear();
    windowNanos.clear();
    Cpu cpuStart = probe == null ? null : Cpu.probe(probe);
    long windowStart = System.nanoTime();
    for (int elapsed = 0; elapsed < seconds; elapsed += 5) {
      long window = Math.min(5, seconds - elapsed);
      Thread.sleep(window * 1_000L);
      List<Long> latest = new ArrayList<>();
      for (Long n; (n = windowNanos.poll()) != null; ) {
        latest.add(n);
      }
      long[] sorted = latest.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf(
          "  %3d s: %d sessions, %.0f receipts/s, p50 %.1f ms, p99 %.1f ms;"
              + " %d digests without a receipt within 5 s so far (%d answered later)%n",
          elapsed + window,
          all.size() - cutOff.values().stream().mapToInt(Integer::intValue).sum(),
          sorted.length / (double) window,
          percentile(sorted, 0.50) / 1e6,
          percentile(sorted, 0.99) / 1e6,
          receiptsMissing.get(),
          receiptsLate.get());
    }
    List<Long> receipts = new ArrayList<>(receiptNanos);
    if (probe != null) {
      int carried = all.size() - cutOff.values().stream().mapToInt(Integer::intValue).sum();
      System.out.println(
          Cpu.probe(probe).since(cpuStart, (System.nanoTime() - windowStart) / 1e9, carried));
    }
    report("digest -> receipt", receipts);
    System.out.printf(
        "receipts/s %.0f, digests without a receipt within 5 s: %d (answered later: %d)%n",
        receipts.size() / (double) seconds, receiptsMissing.get(), receiptsLate.get());
    System.out.printf("receipts received in all: %d%n", receiptsTotal.get());
    System.out.printf(
        "sessions: %d joined, joins refused %s, connections closed by the VS since %s%n",
        all.size(), refusedJoins, cutOff);
    if (probe != null) {
      Memory after = Memory.probe(probe);
      System.out.printf(
          "memory per session: VS heap %.1f KB (after a full GC: %d -> %d MB), Redis %.0f bytes"
              + " (used_memory %d -> %d KB), Redis keys %.1f%n",
          (after.heapBytes() - before.heapBytes()) / 1024.0 / all.size(),
          before.heapBytes() >> 20,
          after.heapBytes() >> 20,
          (after.redisBytes() - before.redisBytes()) / (double) all.size(),
          before.redisBytes() >> 10,
          after.redisBytes() >> 10,
          (after.redisKeys() - before.redisKeys()) / (double) all.size());
    }

    for (int i = 0; i < Math.min(revokes, all.size()); i++) {
      Session s = all.get(i);
      s.revokeSentNanos = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(vs.resolve("/api/sessions/" + s.sessionHex + "/revoke"))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"load test\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        System.out.printf("revoke of %s refused: %d %s%n", s.sessionHex, r.statusCode(), r.body());
        s.revokeSentNanos = 0;
      }
      Thread.sleep(100);
    }
    Thread.sleep(2_000);
    report("revoke decision -> Revoke at the game server", new ArrayList<>(revokeNanos));
    timer.shutdownNow();
  }

  /** A session to offer: the game server that joins and its long-term key. */
  private record Slot(GsId gs, Ed25519KeyPair key) {}

  /**
   * Offers {@code slots} at once and waits for the answers; admitted sessions start ticking and
   * join {@code all}. Returns the joins refused with SERVICE_UNAVAILABLE, to offer again.
   */
  private List<Slot> joinAll(List<Slot> slots, List<Session> all) throws Exception {
    List<CompletableFuture<Session>> joining = new ArrayList<>();
    for (Slot slot : slots) {
      joining.add(Session.join(this, slot.gs(), slot.key()));
    }
    List<Slot> refused = new ArrayList<>();
    for (int i = 0; i < joining.size(); i++) {
      Session joined;
      try {
        joined = joining.get(i).get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof Closed closed)) {
          throw e;
        }
        refusedJoins.merge(closed.reason, 1, Integer::sum);
        if (closed.reason.equals("SERVICE_UNAVAILABLE")) {
          refused.add(slots.get(i));
        }
        continue;
      }
      // Each session ticks at the heartbeat interval its JoinAccept pins (1 s by default), from a
      // random point of it, as independent game servers would, and at once: a session that
      // waited for the others to join would go silent.
      long interval = joined.accept.heartbeatIntervalMs();
      timer.scheduleAtFixedRate(
          joined::tick, RANDOM.nextLong(interval), interval, TimeUnit.MILLISECONDS);
      all.add(joined);
      if (all.size() % 1_000 == 0) {
        System.out.printf("  joined %d sessions%n", all.size());
      }
    }
    return refused;
  }

  private void enroll(GsId gs, Ed25519KeyPair key) throws Exception {
    String body =
        "{\"id\":\""
            + gs.value()
            + "\",\"publicKey\":\""
            + key.publicKey().hex()
            + "\",\"allowedSoftware\":[\""
            + SOFTWARE.hex()
            + "\"]}";
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(vs.resolve("/api/game-servers"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("enroll: " + r.statusCode() + " " + r.body());
    }
  }

  private static void report(String what, List<Long> nanos) {
    if (nanos.isEmpty()) {
      System.out.printf("%s: no samples%n", what);
      return;
    }
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        "%s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms%n",
        what,
        sorted.length,
        percentile(sorted, 0.50) / 1e6,
        percentile(sorted, 0.99) / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }

  private static double percentile(long[] sorted, double q) {
    return sorted.length == 0
        ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))];
  }

  /** The VS closed a connection (the reason is its close reason, e.g. SERVICE_UNAVAILABLE). */
  private static final class Closed extends Exception {
    final String reason;

    Closed(String reason) {
      super("closed: " + reason, null, false, false);
      this.reason = reason;
    }
  }

  /** One simulated game-server session. */
  private static final class Session implements WebSocket.Listener {
    private final VsLoad load;
    private final Ed25519KeyPair sessionKey = Ed25519KeyPair.generate(RANDOM);
    private final Ed25519KeyPair player = Ed25519KeyPair.generate(RANDOM);
    private final CompletableFuture<Session> joined = new CompletableFuture<>();
    private final Map<Long, Long> sentNanos = new ConcurrentHashMap<>();

    /** Digests of {@link #sentNanos} already counted as without a receipt within 5 s. */
    private final Set<Long> overdue = ConcurrentHashMap.newKeySet();

    private final List<ByteBuffer> parts = new ArrayList<>();
    private WebSocket socket;
    private JoinAccept accept;
    private String sessionHex;
    private long counter;
    private long tick;
    private long joinedAtMs;
    private volatile long revokeSentNanos;

    private Session(VsLoad load) {
      this.load = load;
    }

    static CompletableFuture<Session> join(VsLoad load, GsId gs, Ed25519KeyPair gsKey) {
      Session s = new Session(load);
      URI ws = URI.create(load.vs.toString().replaceFirst("^http", "ws") + "/gs");
      return load.http
          .newWebSocketBuilder()
          .buildAsync(ws, s)
          .thenCompose(
              socket -> {
                s.socket = socket;
                JoinRequest request =
                    new JoinRequest(
                        gs,
                        s.sessionKey.publicKey(),
                        SOFTWARE,
                        System.currentTimeMillis(),
                        new JoinNonce(Bytes.random(RANDOM, 16)));
                return socket.sendBinary(
                    ByteBuffer.wrap(Codec.encode(Signed.sign(request, gsKey))), true);
              })
          .thenCompose(sent -> s.joined);
    }

    /**
     * One heartbeat interval of a game server: a heartbeat, then a digest of where its player
     * stands.
     */
    synchronized void tick() {
      if (accept == null || revokeSentNanos != 0) {
        return;
      }
      long now = System.currentTimeMillis();
      Heartbeat hb = new Heartbeat(accept.sessionId(), ++counter, now, Hash.ZERO, SOFTWARE);
      send(Codec.encode(Signed.sign(hb, sessionKey)));
      // As many ticks as have passed, never more (docs/protocol.md section 9.2, step 5); a digest
      // only once a tick has passed since the last one, as a game server does (a second that
      // runs late on this generator's timers must not make it claim ticks ahead of time).
      long passed = (now - joinedAtMs) * accept.rules().tickRateHz() / 1_000;
      if (passed <= tick) {
        return;
      }
      tick = passed;
      long digestCounter = ++counter;
      TranscriptDigest digest =
          new TranscriptDigest(
              accept.sessionId(),
              digestCounter,
              tick,
              now,
              Hash.ZERO,
              List.of(new PlayerPosition(player.publicKey(), new Vec2(0, 0))));
      long nowNanos = System.nanoTime();
      for (Map.Entry<Long, Long> e : sentNanos.entrySet()) {
        long age = nowNanos - e.getValue();
        if (age > 5_000_000_000L && overdue.add(e.getKey())) {
          load.receiptsMissing.incrementAndGet();
        }
        if (age > 60_000_000_000L && sentNanos.remove(e.getKey()) != null) {
          // Never answered: forgotten after a minute, so a dead session holds nothing.
          overdue.remove(e.getKey());
        }
      }
      sentNanos.put(digestCounter, System.nanoTime());
      send(Codec.encode(Signed.sign(digest, sessionKey)));
    }

    private void send(byte[] frame) {
      socket.sendBinary(ByteBuffer.wrap(frame), true).join();
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      parts.add(ByteBuffer.allocate(data.remaining()).put(data).flip());
      if (last) {
        int size = parts.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        parts.forEach(all::put);
        parts.clear();
        received(all.array());
      }
      ws.request(1);
      return null;
    }

    private void received(byte[] bytes) {
      long at = System.nanoTime();
      Frame frame;
      try {
        frame = Codec.decode(bytes);
      } catch (Exception e) {
        joined.completeExceptionally(e);
        return;
      }
      if (!(frame instanceof Attested<?> a)) {
        return;
      }
      if (a.statement() instanceof JoinAccept ja) {
        synchronized (this) {
          accept = ja;
          sessionHex = ja.sessionId().hex();
          joinedAtMs = ja.issuedAtMs();
        }
        joined.complete(this);
      } else if (a.statement() instanceof ProtectedReceipt r) {
        Long sent = sentNanos.remove(r.gsCounter());
        if (sent != null) {
          if (overdue.remove(r.gsCounter())) {
            load.receiptsLate.incrementAndGet();
          }
          load.receiptNanos.add(at - sent);
          load.windowNanos.add(at - sent);
          load.receiptsTotal.incrementAndGet();
        }
      } else if (a.statement() instanceof Revoke && revokeSentNanos != 0) {
        load.revokeNanos.add(at - revokeSentNanos);
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      String why = reason == null || reason.isEmpty() ? Integer.toString(status) : reason;
      if (!joined.completeExceptionally(new Closed(why)) && revokeSentNanos == 0) {
        load.cutOff.merge(why, 1, Integer::sum);
      }
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      joined.completeExceptionally(error);
    }
  }
}
