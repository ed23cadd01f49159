package dev.mmo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.world.Vec2;
import dev.mmo.transport.RawWebSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transport attacks of docs/protocol.md section 1.1 on a real game server process, all at once,
 * from several source addresses, while an honest player plays: compressed messages that would
 * inflate to 60 MB, frames announcing a terabyte, frames and upgrade requests trickled a byte at a
 * time. The player's longest gap between snapshots, and the GS's CPU and heap, are measured in a
 * calm window and then under attack, and printed (docs/benchmarks.md).
 */
class TransportAttackIT {
  private static final Duration CALM = Duration.ofSeconds(5);

  /** Longer than the GS's hello timeout (10 s), so every trickled connection meets its end. */
  private static final Duration ATTACK = Duration.ofSeconds(12);

  private static Vs vs;
  private static Admin admin;

  @BeforeAll
  static void startVs() throws Exception {
    vs = Vs.start(Map.of());
    admin = Admin.of(vs);
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
      long snapshots,
      long maxGapMs,
      double cpuCores,
      double maxHeapMb,
      double heapAfterGcMb) {
    @Override
    public String toString() {
      return String.format(
          "%-7s snapshots %4d, longest gap %4d ms, GS CPU %.2f cores,"
              + " GS heap used max %.1f MB (garbage included), %.1f MB after a full GC",
          name, snapshots, maxGapMs, cpuCores, maxHeapMb, heapAfterGcMb);
    }
  }

  @Test
  void attacksOnPlay_closeOnlyTheirConnections_honestPlayerKeepsItsSnapshots() throws Exception {
    try (Gs gs = Gs.enrolled(freshId(), vs, admin).start(vs);
        Player honest = Player.joined(gs)) {
      Window calm = observe("calm", gs, honest, CALM);

      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong refused = new AtomicLong();
      int port = gs.play().getPort();
      List<Thread> attackers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        InetAddress from = InetAddress.getByName("127.0.0." + (2 + i));
        attackers.add(loop(stop, () -> compressedBomb(port, from, refused)));
      }
      for (int i = 0; i < 2; i++) {
        InetAddress from = InetAddress.getByName("127.0.0." + (6 + i));
        attackers.add(loop(stop, () -> terabyteFrame(port, from, refused)));
      }
      List<RawWebSocket> trickledFrames = trickling(port, "127.0.0.8", false);
      List<RawWebSocket> trickledUpgrades = trickling(port, "127.0.0.9", true);
      attackers.forEach(Thread::start);
      Window attacked = observe("attack", gs, honest, ATTACK);
      stop.set(true);
      for (Thread t : attackers) {
        t.join(20_000);
      }
      // Every trickled connection met its budget: the hello timeout, or the upgrade timeout.
      long helloTimeouts = 0;
      for (RawWebSocket raw : trickledFrames) {
        if (raw.awaitClose(Duration.ofSeconds(1)) == Reason.UNEXPECTED_TYPE.closeCode()) {
          helloTimeouts++;
        }
        raw.close();
      }
      long upgradeTimeouts = 0;
      for (RawWebSocket raw : trickledUpgrades) {
        if (raw.readHead().startsWith("HTTP/1.1 408 ")) {
          upgradeTimeouts++;
        }
        raw.close();
      }

      System.out.println("[transport-attack] " + calm);
      System.out.println("[transport-attack] " + attacked);
      System.out.printf(
          "[transport-attack] refused: %d compressed or oversized, %d/%d trickled frames at the"
              + " hello timeout, %d/%d trickled upgrades with 408%n",
          refused.get(),
          helloTimeouts,
          trickledFrames.size(),
          upgradeTimeouts,
          trickledUpgrades.size());

      assertThat(honest.out).as("the honest player stays").isNotDone();
      assertThat(refused.get()).as("attacks refused with their codes").isPositive();
      assertThat(helloTimeouts).isEqualTo(trickledFrames.size());
      assertThat(upgradeTimeouts).isEqualTo(trickledUpgrades.size());
      assertThat(attacked.snapshots()).isPositive();
      // A tick is 50 ms; a second without snapshots would be the old failure's first symptom.
      assertThat(attacked.maxGapMs()).isLessThan(1_000);
      // Nothing an attack sent is kept: what a full GC leaves is what a calm window leaves.
      assertThat(attacked.heapAfterGcMb()).isLessThan(calm.heapAfterGcMb() + 32);
      assertThat(gs.exitWithin(Duration.ZERO)).as("the GS still runs").isEmpty();
    }
  }

  private static Window observe(String name, Gs gs, Player player, Duration length)
      throws Exception {
    long start = System.nanoTime();
    long end = start + length.toNanos();
    long cpuBefore = cpuTicks(gs.pid());
    double maxHeap = 0;
    while (System.nanoTime() < end) {
      player.move(new Vec2(10, 0));
      maxHeap = Math.max(maxHeap, gs.metricSum("jvm_memory_used_bytes{area=\"heap\""));
      Thread.sleep(100);
    }
    double cpu = (cpuTicks(gs.pid()) - cpuBefore) / 100.0 / length.toSeconds();
    long snapshots = 0;
    long last = start;
    long maxGap = 0;
    for (long[] p : player.track()) {
      if (p[3] >= start && p[3] <= end) {
        snapshots++;
        maxGap = Math.max(maxGap, p[3] - last);
        last = p[3];
      }
    }
    maxGap = Math.max(maxGap, end - last);
    return new Window(
        name, snapshots, maxGap / 1_000_000, cpu, maxHeap / 1e6, heapAfterGc(gs) / 1e6);
  }

  /** The GS's heap used right after a full GC (jcmd GC.run): what the window left behind. */
  private static double heapAfterGc(Gs gs) throws Exception {
    Process jcmd =
        new ProcessBuilder("jcmd", Long.toString(gs.pid()), "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      throw new IllegalStateException("jcmd GC.run failed for the GS");
    }
    return gs.metricSum("jvm_memory_used_bytes{area=\"heap\"");
  }

  /** utime + stime of a process, in clock ticks (100 a second). */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  interface Attack {
    void run() throws Exception;
  }

  private static Thread loop(AtomicBoolean stop, Attack attack) {
    return new Thread(
        () -> {
          while (!stop.get()) {
            try {
              attack.run();
            } catch (Exception e) {
              // Refused at the accept, or reset: back off a little, as a real flood would be
              // shaped by the per-source limits anyway.
              try {
                Thread.sleep(50);
              } catch (InterruptedException stopped) {
                return;
              }
            }
          }
        });
  }

  private static final byte[] BOMB = RawWebSocket.deflateBomb(60_000_000);

  private static void compressedBomb(int port, InetAddress from, AtomicLong refused)
      throws IOException {
    try (RawWebSocket raw = RawWebSocket.connect("127.0.0.1", port, from)) {
      raw.upgrade("/play", "Sec-WebSocket-Extensions: permessage-deflate\r\n");
      raw.send(RawWebSocket.frame(0xC2, BOMB));
      if (raw.awaitClose(Duration.ofSeconds(5)) == 4001) {
        refused.incrementAndGet();
      }
    }
  }

  private static void terabyteFrame(int port, InetAddress from, AtomicLong refused)
      throws IOException {
    try (RawWebSocket raw = RawWebSocket.connect("127.0.0.1", port, from)) {
      raw.upgrade("/play", "");
      raw.send(RawWebSocket.header(0x82, 1L << 40, new byte[1024]));
      if (raw.awaitClose(Duration.ofSeconds(5)) == 4009) {
        refused.incrementAndGet();
      }
    }
  }

  /**
   * 30 connections from {@code source}, each trickling a frame after its upgrade (or its upgrade
   * request itself), a byte every 200 ms.
   */
  private static List<RawWebSocket> trickling(int port, String source, boolean upgrade)
      throws IOException {
    InetAddress from = InetAddress.getByName(source);
    List<RawWebSocket> held = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      RawWebSocket raw = RawWebSocket.connect("127.0.0.1", port, from);
      if (upgrade) {
        raw.trickle(RawWebSocket.upgradeRequest("/play", ""), 0, Duration.ofMillis(200));
      } else {
        raw.upgrade("/play", "");
        raw.trickle(RawWebSocket.frame(0x82, new byte[500]), 0, Duration.ofMillis(200));
      }
      held.add(raw);
    }
    return held;
  }

  private static String freshId() {
    byte[] b = new byte[4];
    new SecureRandom().nextBytes(b);
    return "gs-transport-" + HexFormat.of().formatHex(b);
  }
}
