package dev.mmo.gs.match;

import static java.util.Objects.requireNonNull;

import dev.mmo.gs.vs.TranscriptSource;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.chain.ReceiptTip;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.world.Vec2;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a {@link TranscriptLog} and recomputes, tick by tick, what the match computed: every
 * player's position and the receipt tip. What an auditor does with a GS's transcript and the
 * receipts the VS notarized: the tip of a tick must equal the tip the receipt names.
 *
 * <p>Every input's signature is checked again with its player's key, every spawn position against
 * the seeded simulation and every tick's tip against the one the GS wrote; any difference fails the
 * replay.
 */
public final class TranscriptReplay {
  private TranscriptReplay() {}

  /** The header of a transcript: the session's JoinAccept and the spawn seed. */
  public record Header(Attested<JoinAccept> joinAccept, long seed) {
    public Header {
      requireNonNull(joinAccept, "joinAccept");
    }
  }

  /** Sees every logged input whose signature verified, in the order the match applied them. */
  @FunctionalInterface
  public interface InputListener {
    void input(long tick, Ed25519PublicKey player, ClientInput input);
  }

  /**
   * Replays {@code file}, giving {@code perTick} the state after every tick that has records.
   *
   * @return the state after the last tick of the file (tick 0 and the genesis tip when empty)
   * @throws IOException when the file cannot be read, is not a transcript, or does not replay to
   *     what it says
   */
  public static TranscriptSource.State replay(Path file, Consumer<TranscriptSource.State> perTick)
      throws IOException {
    return replay(file, perTick, (tick, player, input) -> {});
  }

  /**
   * As {@link #replay(Path, Consumer)}, also giving {@code perInput} every input before it is
   * applied; a listener may stop the replay by throwing an unchecked exception, which is passed on.
   */
  public static TranscriptSource.State replay(
      Path file, Consumer<TranscriptSource.State> perTick, InputListener perInput)
      throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      DataInputStream in = new DataInputStream(raw);
      Header header = readHeader(in);
      Simulation sim = new Simulation(header.joinAccept().statement().rules(), header.seed());
      Map<Ed25519PublicKey, Ed25519Verifier> verifiers = new HashMap<>();
      Hash tip = ReceiptTip.GENESIS;
      TranscriptSource.State last = new TranscriptSource.State(0, tip, sim.positions());
      while (true) {
        int kind = in.read();
        if (kind < 0) {
          return last;
        }
        long tick = in.readLong();
        if (tick <= sim.tick()) {
          throw new IOException("record of tick " + tick + " after tick " + sim.tick());
        }
        while (sim.tick() < tick - 1) {
          sim.step();
        }
        switch (kind) {
          case TranscriptLog.JOIN -> {
            Ed25519PublicKey player = Ed25519PublicKey.of(readFully(in, Ed25519PublicKey.LENGTH));
            Vec2 logged = new Vec2(in.readInt(), in.readInt());
            if (sim.hasPlayer(player)) {
              throw new IOException("tick " + tick + ": " + player + " joined twice");
            }
            Vec2 spawn = sim.join(player);
            if (!spawn.equals(logged)) {
              throw new IOException(
                  "tick " + tick + ": spawn " + spawn + " but the log says " + logged);
            }
            verifiers.put(player, verifier(player));
          }
          case TranscriptLog.INPUT -> {
            Ed25519PublicKey player = Ed25519PublicKey.of(readFully(in, Ed25519PublicKey.LENGTH));
            byte[] frame = readFully(in, in.readUnsignedShort());
            Ed25519Verifier verifier = verifiers.get(player);
            if (verifier == null) {
              throw new IOException("tick " + tick + ": input of " + player + " before its join");
            }
            ClientInput input = verifiedInput(frame, verifier, tick);
            perInput.input(tick, player, input);
            sim.move(player, input.move());
            tip = ReceiptTip.fold(tip, frame);
          }
          case TranscriptLog.TICK -> {
            Hash logged = Hash.of(readFully(in, Hash.LENGTH));
            sim.step();
            if (!logged.equals(tip)) {
              throw new IOException(
                  "tick "
                      + tick
                      + ": receipt tip "
                      + tip.hex()
                      + " but the log says "
                      + logged.hex());
            }
            last = new TranscriptSource.State(tick, tip, sim.positions());
            perTick.accept(last);
          }
          default -> throw new IOException("unknown record kind " + kind);
        }
      }
    } catch (EOFException e) {
      throw new IOException("transcript " + file + " ends inside a record", e);
    }
  }

  /** Reads only the header of {@code file}. */
  public static Header header(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      return readHeader(in);
    }
  }

  private static Header readHeader(DataInputStream in) throws IOException {
    byte[] magic = readFully(in, TranscriptLog.MAGIC.length);
    if (!Arrays.equals(magic, TranscriptLog.MAGIC)) {
      throw new IOException("not a transcript");
    }
    int format = in.readUnsignedByte();
    if (format != TranscriptLog.FORMAT) {
      throw new IOException("transcript format " + format + " is not " + TranscriptLog.FORMAT);
    }
    byte[] accept = readFully(in, in.readUnsignedShort());
    try {
      return new Header(Codec.decodeAttested(accept, JoinAccept.class), in.readLong());
    } catch (Rejection e) {
      throw new IOException("transcript header: " + e.getMessage(), e);
    }
  }

  private static ClientInput verifiedInput(byte[] frame, Ed25519Verifier verifier, long tick)
      throws IOException {
    try {
      Signed<ClientInput> signed = Codec.decodeSigned(frame, ClientInput.class);
      signed.verify(verifier);
      return signed.body();
    } catch (Rejection e) {
      throw new IOException("tick " + tick + ": logged input refused: " + e.getMessage(), e);
    }
  }

  private static Ed25519Verifier verifier(Ed25519PublicKey player) throws IOException {
    try {
      return Ed25519Verifier.of(player);
    } catch (Rejection e) {
      throw new IOException("logged player key refused: " + e.getMessage(), e);
    }
  }

  private static byte[] readFully(DataInputStream in, int length) throws IOException {
    byte[] b = new byte[length];
    in.readFully(b);
    return b;
  }
}
