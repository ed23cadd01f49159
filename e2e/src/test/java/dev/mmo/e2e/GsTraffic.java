package dev.mmo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.wire.ProtectedReceipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A game server's traffic to the VS on a thread of its own, as an honest one sends it: every
 * heartbeat interval a heartbeat and a digest (no players), each digest's receipt awaited and
 * timed. For tests that check what an attack on the VS does to the game servers it serves.
 */
/**
 * The bystander's traffic on a thread of its own: every heartbeat interval a heartbeat and a
 * digest, each digest's receipt awaited and timed.
 */
final class GsTraffic implements AutoCloseable {
  /** Per digest: when it was sent (nanoTime), and its receipt's latency in ms or -1. */
  private final List<long[]> digests = Collections.synchronizedList(new ArrayList<>());

  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;

  GsTraffic(RogueGs gs) {
    long interval = gs.accept().heartbeatIntervalMs();
    int tickRate = gs.accept().rules().tickRateHz();
    long joinedAt = System.currentTimeMillis();
    thread =
        new Thread(
            () -> {
              long counter = 0;
              long tick = 0;
              while (!stop.get()) {
                try {
                  Thread.sleep(interval);
                  gs.send(gs.heartbeat(++counter, RogueGs.SOFTWARE));
                  long due = (System.currentTimeMillis() - joinedAt) * tickRate / 1000 - 1;
                  tick = Math.max(tick + 1, due);
                  long[] digest = {System.nanoTime(), -1};
                  digests.add(digest);
                  gs.send(gs.digest(++counter, tick, List.of()));
                  ProtectedReceipt receipt = gs.next(ProtectedReceipt.class);
                  assertThat(receipt.gsCounter()).isEqualTo(counter);
                  digest[1] = (System.nanoTime() - digest[0]) / 1_000_000;
                } catch (InterruptedException e) {
                  return;
                } catch (Exception | AssertionError e) {
                  System.out.println("[gs-traffic] " + e);
                  return;
                }
              }
            });
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The receipt latencies of the digests sent between {@code from} and {@code to}; {@code count[0]}
   * is set to how many digests were sent then. Waits up to ten seconds for receipts still on their
   * way.
   */
  List<Long> receiptsOfDigestsSent(long from, long to, long[] count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<Long> latencies = new ArrayList<>();
      long sent = 0;
      synchronized (digests) {
        for (long[] d : digests) {
          if (d[0] >= from && d[0] <= to) {
            sent++;
            if (d[1] >= 0) {
              latencies.add(d[1]);
            }
          }
        }
      }
      if (latencies.size() == sent || System.nanoTime() > deadline) {
        count[0] = sent;
        return latencies;
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join(10_000);
  }
}
