package dev.mmo.gs.match;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.world.Vec2;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The transcript of one session: every accepted signed input, in the order the match applied it,
 * with its tick, so that an auditor can recompute the receipt tip and replay the positions ({@link
 * TranscriptReplay}).
 *
 * <p>One file per session, {@code <session_id hex>.transcript} in the transcript directory. Binary,
 * big-endian:
 *
 * <pre>
 * header  = magic "mmo-transcript\0" (15 bytes) || format u8 (1)
 *           || join_accept_length u16 || JoinAccept frame (attested, as the VS sent it)
 *           || seed i64 (the simulation's spawn seed)
 * record  = kind u8 || tick u63 || ...
 *   0x01 JOIN   || player bytes[32] || x i32 || y i32          a player entered at (x, y)
 *   0x02 INPUT  || player bytes[32] || length u16 || frame      the exact ClientInput frame
 *   0x03 TICK   || receipt_tip bytes[32]                        the tick ended with this tip
 * </pre>
 *
 * Records of a tick come in the order they were applied (its joins, its inputs), then its TICK
 * record. A tick without joins or inputs writes nothing. The writer appends whole ticks and flushes
 * after each (not an fsync: a crash of the machine can lose the last ticks, a crash of the process
 * cannot).
 *
 * <p>Not thread-safe: the match fills a {@link Batch} on its event loop and one writer thread
 * appends the batches in order.
 */
public final class TranscriptLog implements AutoCloseable {
  static final byte[] MAGIC = "mmo-transcript\0".getBytes(StandardCharsets.US_ASCII);
  static final int FORMAT = 1;
  static final int JOIN = 0x01;
  static final int INPUT = 0x02;
  static final int TICK = 0x03;

  /** The file name suffix. */
  public static final String SUFFIX = ".transcript";

  private final Path file;
  private final OutputStream out;

  private TranscriptLog(Path file, OutputStream out) {
    this.file = file;
    this.out = out;
  }

  /**
   * Creates the session's file in {@code dir} (the directory is created if missing) and writes the
   * header. Refuses to overwrite an existing transcript.
   */
  public static TranscriptLog create(Path dir, Attested<JoinAccept> joinAccept, long seed)
      throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(joinAccept.statement().sessionId().hex() + SUFFIX);
    OutputStream out =
        Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    TranscriptLog log = new TranscriptLog(file, out);
    byte[] accept = Codec.encode(joinAccept);
    ByteArrayOutputStream header = new ByteArrayOutputStream(MAGIC.length + accept.length + 16);
    DataOutputStream h = new DataOutputStream(header);
    h.write(MAGIC);
    h.writeByte(FORMAT);
    h.writeShort(accept.length);
    h.write(accept);
    h.writeLong(seed);
    out.write(header.toByteArray());
    out.flush();
    return log;
  }

  public Path file() {
    return file;
  }

  /** Appends one tick's records and flushes. */
  public void write(Batch batch) throws IOException {
    out.write(batch.bytes.toByteArray());
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** The records of one tick, built in memory on the match's event loop. */
  public static final class Batch {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    private final DataOutputStream data = new DataOutputStream(bytes);
    private final long tick;

    public Batch(long tick) {
      this.tick = tick;
    }

    public long tick() {
      return tick;
    }

    public boolean isEmpty() {
      return bytes.size() == 0;
    }

    public Batch join(Ed25519PublicKey player, Vec2 at) {
      return record(
          JOIN,
          d -> {
            d.write(player.bytes().toByteArray());
            d.writeInt(at.x());
            d.writeInt(at.y());
          });
    }

    public Batch input(Ed25519PublicKey player, byte[] frame) {
      requireNonNull(frame, "frame");
      return record(
          INPUT,
          d -> {
            d.write(player.bytes().toByteArray());
            d.writeShort(frame.length);
            d.write(frame);
          });
    }

    public Batch end(Hash receiptTip) {
      return record(TICK, d -> d.write(receiptTip.toByteArray()));
    }

    private Batch record(int kind, Body body) {
      try {
        data.writeByte(kind);
        data.writeLong(tick);
        body.write(data);
      } catch (IOException e) {
        // A ByteArrayOutputStream does not fail.
        throw new UncheckedIOException(e);
      }
      return this;
    }

    private interface Body {
      void write(DataOutputStream d) throws IOException;
    }
  }
}
