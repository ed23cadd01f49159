package dev.mmo.vs.batch;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.KeyId;
import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.vs.redis.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * The batch heads as PostgreSQL holds them, read over JDBC (not through the code under test), and
 * the checks an auditor would run on them.
 */
final class RecordedChain {
  private RecordedChain() {}

  /** One row of batch_heads. */
  record Row(SignedHead head, byte[] storedHash, Instant recordedAt) {}

  static List<Row> read(DataSource db) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT batch_seq, key_id, prev_head_hash, time_ms, tree_size, root, signature,"
                    + " head_hash, recorded_at FROM batch_heads ORDER BY batch_seq")) {
      while (r.next()) {
        BatchHead head =
            new BatchHead(
                new KeyId(Bytes.copyOf(r.getBytes("key_id"))),
                r.getLong("batch_seq"),
                Hash.of(r.getBytes("prev_head_hash")),
                r.getLong("time_ms"),
                r.getLong("tree_size"),
                Hash.of(r.getBytes("root")));
        rows.add(
            new Row(
                new SignedHead(head, EcdsaP256Signature.of(r.getBytes("signature"))),
                r.getBytes("head_hash"),
                r.getTimestamp("recorded_at").toInstant()));
      }
    }
    return rows;
  }

  /**
   * Every way the recorded chain is not one unbroken, signed chain from batch_seq 0; empty when it
   * is.
   */
  static List<String> problems(List<Row> rows, EcdsaP256PublicKey key) {
    List<String> problems = new ArrayList<>();
    Hash expectedPrev = Hash.ZERO;
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      SignedHead head = row.head();
      if (head.seq() != i) {
        problems.add("row " + i + " has batch_seq " + head.seq() + " (gap or duplicate)");
      }
      if (!head.head().prevBatchHeadHash().equals(expectedPrev)) {
        problems.add("batch_seq " + head.seq() + " does not chain to its predecessor");
      }
      if (!Arrays.equals(row.storedHash(), head.hash().toByteArray())) {
        problems.add("batch_seq " + head.seq() + " stores a head hash that is not its own");
      }
      if (!head.isSignedBy(key)) {
        problems.add("batch_seq " + head.seq() + " is not signed by the VS key");
      }
      expectedPrev = head.hash();
    }
    return problems;
  }

  /** Deletes the rows of {@code seqs}, as a restore from an older backup would lose them. */
  static void delete(DataSource db, long... seqs) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement("DELETE FROM batch_heads WHERE batch_seq = ?")) {
      for (long seq : seqs) {
        s.setLong(1, seq);
        s.executeUpdate();
      }
    }
  }

  /** Puts {@code rows} back exactly as they were read, as a restore from a backup would. */
  static void insert(DataSource db, List<Row> rows) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO batch_heads (batch_seq, key_id, prev_head_hash, time_ms, tree_size,"
                    + " root, signature, head_hash, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Row row : rows) {
        BatchHead head = row.head().head();
        s.setLong(1, head.batchSeq());
        s.setBytes(2, head.keyId().bytes().toByteArray());
        s.setBytes(3, head.prevBatchHeadHash().toByteArray());
        s.setLong(4, head.timeMs());
        s.setLong(5, head.treeSize());
        s.setBytes(6, head.root().toByteArray());
        s.setBytes(7, row.head().signature().bytes().toByteArray());
        s.setBytes(8, row.storedHash());
        s.setTimestamp(9, Timestamp.from(row.recordedAt()));
        s.executeUpdate();
      }
    }
  }

  /** Forgets the whole chain, in PostgreSQL and Redis: the next batch is batch_seq 0. */
  static void erase(DataSource db, RedisDataSource redis) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM batch_heads");
    }
    redis.key().del(RedisKeys.batchChainTip());
  }
}
