package dev.mmo.bench;

import dev.mmo.gs.match.Match;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.world.Vec2;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * {@link GsPipelineBench}'s two operations in alternating one-second windows on two threads, so
 * that both see the same machine load: on a shared machine the load drifts more between two JMH
 * benchmarks run one after the other than between two adjacent seconds. Each round runs both
 * windows (order alternating, ABBA) and gives one ratio; the median ratio is the result.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.mmo.bench.GsPipelineRatio [rounds]}
 */
public final class GsPipelineRatio {
  private static final int THREADS = 2;
  private static final long WINDOW_NANOS = 1_000_000_000L;
  private static final int WARM_UP_ROUNDS = 4;

  private final BenchSession session = new BenchSession(System.currentTimeMillis());
  private final ReentrantLock tickLock = new ReentrantLock();
  private final Ed25519KeyPair[] keys = new Ed25519KeyPair[THREADS];
  private final byte[][][] frames = new byte[THREADS][][];
  private final BenchInput raw = BenchInput.create();

  private GsPipelineRatio(int inputsPerThread) {
    long counter = session.ticket.statement().counter();
    Hash ticketHash = Hashes.statementHash(session.ticket.statement());
    for (int t = 0; t < THREADS; t++) {
      keys[t] = Ed25519KeyPair.generate(new SecureRandom());
      frames[t] = new byte[inputsPerThread][];
      for (int i = 0; i < inputsPerThread; i++) {
        ClientInput input =
            new ClientInput(session.session(), counter, ticketHash, i + 1, new Vec2(i % 500, 7), 0);
        frames[t][i] = Codec.encode(Signed.sign(input, keys[t]));
      }
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    GsPipelineRatio bench = new GsPipelineRatio(40_000);
    List<Double> ratios = new ArrayList<>();
    double pipelineSum = 0;
    double rawSum = 0;
    for (int r = 0; r < WARM_UP_ROUNDS + rounds; r++) {
      double pipeline;
      double peer;
      if (r % 2 == 0) {
        pipeline = bench.pipelineWindow();
        peer = bench.rawWindow();
      } else {
        peer = bench.rawWindow();
        pipeline = bench.pipelineWindow();
      }
      if (r >= WARM_UP_ROUNDS) {
        ratios.add(pipeline / peer);
        pipelineSum += pipeline;
        rawSum += peer;
        System.out.printf(
            "round %2d: pipeline %,8.0f/s  raw %,8.0f/s  ratio %.3f%n",
            r - WARM_UP_ROUNDS + 1, pipeline, peer, pipeline / peer);
      }
    }
    double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        "pipeline %,.0f/s, raw verify %,.0f/s on %d threads (means); ratio median %.3f, min %.3f,"
            + " max %.3f over %d rounds%n",
        pipelineSum / rounds,
        rawSum / rounds,
        THREADS,
        sorted[sorted.length / 2],
        sorted[0],
        sorted[sorted.length - 1],
        rounds);
    System.out.println(Arrays.toString(sorted));
  }

  /** Inputs/s through check + queue + tick, as in {@link GsPipelineBench#pipeline}. */
  private double pipelineWindow() throws Exception {
    Match match = new Match(session.joinAccept, 1, 1 << 20);
    match.tickets(List.of(session.ticket));
    Match.Player[] players = new Match.Player[THREADS];
    for (int t = 0; t < THREADS; t++) {
      players[t] = match.player(keys[t].publicKey(), Ed25519Verifier.of(keys[t].publicKey())).get();
      match.offerJoin(keys[t].publicKey());
    }
    return window(
        t -> {
          int next = 0;
          long deadline = System.nanoTime() + WINDOW_NANOS;
          while (System.nanoTime() < deadline) {
            Match.Accepted accepted = match.check(frames[t][next++], players[t]);
            if (!match.offerInput(accepted)) {
              throw new IllegalStateException("match queue full");
            }
            if ((next & 63) == 0 && tickLock.tryLock()) {
              try {
                match.tick();
              } finally {
                tickLock.unlock();
              }
            }
          }
          return next;
        });
  }

  /** Raw BouncyCastle verifies/s, as in {@link GsPipelineBench#rawVerify}. */
  private double rawWindow() throws Exception {
    byte[] signature = raw.signed.signature().bytes().toByteArray();
    Ed25519.PublicPoint point =
        Ed25519.validatePublicKeyFullExport(raw.clientKey.publicKey().bytes().toByteArray(), 0);
    byte[] message = Codec.signingInput(raw.signed.body());
    return window(
        t -> {
          long done = 0;
          long deadline = System.nanoTime() + WINDOW_NANOS;
          while (System.nanoTime() < deadline) {
            if (!Ed25519.verify(signature, 0, point, message, 0, message.length)) {
              throw new IllegalStateException("raw verify refused");
            }
            done++;
          }
          return done;
        });
  }

  private interface Work {
    long run(int thread) throws Rejection;
  }

  /** Runs {@code work} on every thread at once; operations per second, all threads together. */
  private static double window(Work work) throws Exception {
    AtomicLong total = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int index = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                  total.addAndGet(work.run(index));
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    long begin = System.nanoTime();
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    long elapsed = System.nanoTime() - begin;
    if (!failures.isEmpty()) {
      throw new IllegalStateException("window failed", failures.get(0));
    }
    return total.get() * 1e9 / elapsed;
  }
}
