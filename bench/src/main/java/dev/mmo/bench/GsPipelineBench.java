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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Verified inputs per second through the game server's real input path on two threads (two cores),
 * against raw BouncyCastle verify on two threads in the same run.
 *
 * <p>{@code pipeline}: each thread is one connection's event loop: {@link Match#check} (strict
 * decode, session, ticket reference, signature with the connection's verifier, nonce, action bits)
 * and {@link Match#offerInput} onto the match's bounded queue; every 64 inputs the thread that gets
 * the match's lock runs a {@link Match#tick()} (apply in order, fold into receipt_tip, transcript
 * records), as the match's event loop would on the same two cores. Every input has its own nonce,
 * so nothing is replayed; a fresh match every iteration lets the same pre-signed inputs pass again.
 * {@code rawVerify}: the peer, {@code Ed25519.verify} with the key decoded once on the same bytes a
 * ClientInput signature covers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GsPipelineBench {
  /** More than one thread can verify in one 2 s iteration. */
  static final int INPUTS_PER_THREAD = 60_000;

  private final BenchSession session = new BenchSession(System.currentTimeMillis());
  private final ReentrantLock tickLock = new ReentrantLock();
  private volatile Match match;

  @Setup(Level.Iteration)
  public void newMatch() {
    match = new Match(session.joinAccept, 1, 1 << 20);
    match.tickets(List.of(session.ticket));
  }

  /** One connection: its key, its pre-signed inputs and its player in the current match. */
  @State(Scope.Thread)
  public static class Connection {
    Ed25519KeyPair key;
    Ed25519Verifier verifier;
    byte[][] frames;
    Match match;
    Match.Player player;
    int next;

    @Setup(Level.Trial)
    public void sign(GsPipelineBench bench) throws Rejection {
      key = Ed25519KeyPair.generate(new SecureRandom());
      verifier = Ed25519Verifier.of(key.publicKey());
      long counter = bench.session.ticket.statement().counter();
      Hash ticketHash = Hashes.statementHash(bench.session.ticket.statement());
      frames = new byte[INPUTS_PER_THREAD][];
      for (int i = 0; i < INPUTS_PER_THREAD; i++) {
        ClientInput input =
            new ClientInput(
                bench.session.session(), counter, ticketHash, i + 1, new Vec2(i % 500, -300), 0);
        frames[i] = Codec.encode(Signed.sign(input, key));
      }
    }

    @Setup(Level.Iteration)
    public void join(GsPipelineBench bench) {
      match = bench.match;
      player = match.player(key.publicKey(), verifier).orElseThrow();
      if (!match.offerJoin(key.publicKey())) {
        throw new IllegalStateException("match queue full at join");
      }
      next = 0;
    }
  }

  /** The peer's bytes: one ClientInput's signing input, signature and decoded key. */
  @State(Scope.Thread)
  public static class Raw {
    byte[] signature;
    Ed25519.PublicPoint point;
    byte[] message;

    @Setup(Level.Trial)
    public void setUp() {
      BenchInput input = BenchInput.create();
      signature = input.signed.signature().bytes().toByteArray();
      point =
          Ed25519.validatePublicKeyFullExport(input.clientKey.publicKey().bytes().toByteArray(), 0);
      message = Codec.signingInput(input.signed.body());
    }
  }

  @Benchmark
  @Threads(2)
  public Match.Accepted pipeline(Connection c) throws Rejection {
    if (c.next == INPUTS_PER_THREAD) {
      throw new IllegalStateException("ran out of pre-signed inputs; raise INPUTS_PER_THREAD");
    }
    Match.Accepted accepted = c.match.check(c.frames[c.next++], c.player);
    if (!c.match.offerInput(accepted)) {
      throw new IllegalStateException("match queue full");
    }
    if ((c.next & 63) == 0 && tickLock.tryLock()) {
      try {
        c.match.tick();
      } finally {
        tickLock.unlock();
      }
    }
    return accepted;
  }

  @Benchmark
  @Threads(2)
  public boolean rawVerify(Raw r) {
    return Ed25519.verify(r.signature, 0, r.point, r.message, 0, r.message.length);
  }
}
