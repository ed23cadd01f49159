package dev.mmo.auditor;

import dev.mmo.protocol.chain.ReceiptTip;
import dev.mmo.protocol.crypto.Hash;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A host editing its transcript after the fact (the layout of gs-vertx's TranscriptLog): drop or
 * swap input records, and optionally recompute every TICK record's tip so that the file verifies on
 * its own again.
 */
final class TranscriptEdit {
  private static final int HEADER_FIXED = 15 + 1;
  private final byte[] header;
  private final List<Record> records = new ArrayList<>();

  record Record(int kind, long tick, byte[] body) {
    boolean isInput() {
      return kind == 0x02;
    }

    byte[] player() {
      return Arrays.copyOfRange(body, 0, 32);
    }

    byte[] frame() {
      return Arrays.copyOfRange(body, 34, body.length);
    }
  }

  TranscriptEdit(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
    in.position(HEADER_FIXED);
    int accept = Short.toUnsignedInt(in.getShort());
    int headerLength = HEADER_FIXED + 2 + accept + 8;
    header = Arrays.copyOf(in.array(), headerLength);
    in.position(headerLength);
    while (in.hasRemaining()) {
      int kind = in.get();
      long tick = in.getLong();
      int length =
          switch (kind) {
            case 0x01 -> 32 + 8;
            case 0x02 -> 32 + 2 + Short.toUnsignedInt(in.getShort(in.position() + 32));
            case 0x03 -> 32;
            default -> throw new IOException("kind " + kind);
          };
      byte[] body = new byte[length];
      in.get(body);
      records.add(new Record(kind, tick, body));
    }
  }

  /** The index (among all records) of the {@code n}th input of {@code tick}. */
  int input(long tick, int n) {
    int seen = 0;
    for (int i = 0; i < records.size(); i++) {
      Record r = records.get(i);
      if (r.isInput() && r.tick() == tick && seen++ == n) {
        return i;
      }
    }
    throw new IllegalArgumentException("no input " + n + " at tick " + tick);
  }

  Record record(int index) {
    return records.get(index);
  }

  TranscriptEdit remove(int index) {
    records.remove(index);
    return this;
  }

  TranscriptEdit swap(int i, int j) {
    Record a = records.get(i);
    records.set(i, records.get(j));
    records.set(j, a);
    return this;
  }

  /** Writes the edited file; with {@code fixTips} every TICK record names the new fold. */
  void write(Path file, boolean fixTips) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(header);
    Hash tip = ReceiptTip.GENESIS;
    for (Record r : records) {
      byte[] body = r.body();
      if (r.isInput()) {
        tip = ReceiptTip.fold(tip, r.frame());
      } else if (r.kind() == 0x03 && fixTips) {
        body = tip.toByteArray();
      }
      out.writeByte(r.kind());
      out.writeLong(r.tick());
      out.write(body);
    }
    Files.write(file, bytes.toByteArray());
  }
}
