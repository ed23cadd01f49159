package dev.mmo.vs.batch;

import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.KeyId;
import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.vs.audit.AuditLog;
import dev.mmo.vs.redis.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
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

  /** Records {@code head} as a row of {@code epoch}, as an earlier VS would have. */
  static void insert(DataSource db, SignedHead head, long epoch) throws SQLException {
    try (Connection c = db.getConnection();
        java.sql.PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO batch_heads (batch_seq, key_id, prev_head_hash, time_ms, tree_size,"
                    + " root, signature, head_hash, recorded_at, epoch)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, now(), ?)")) {
      BatchHead h = head.head();
      s.setLong(1, h.batchSeq());
      s.setBytes(2, h.keyId().bytes().toByteArray());
      s.setBytes(3, h.prevBatchHeadHash().toByteArray());
      s.setLong(4, h.timeMs());
      s.setLong(5, h.treeSize());
      s.setBytes(6, h.root().toByteArray());
      s.setBytes(7, head.signature().bytes().toByteArray());
      s.setBytes(8, head.hash().toByteArray());
      s.setLong(9, epoch);
      s.executeUpdate();
    }
  }

  /**
   * Forgets the whole chain, in PostgreSQL and Redis: the next batch is batch_seq 0. First a fence
   * drains the audit queue, so no head of an earlier test lands after the erase.
   */
  static void erase(DataSource db, RedisDataSource redis, AuditLog audit) throws SQLException {
    awaitFence(db, audit);
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("TRUNCATE batch_heads, batch_chain_epochs, superseded_batch_heads");
    }
    redis.key().del(RedisKeys.batchChainTip());
  }

  /** Sends a fence through the audit queue and waits until the writer has written it. */
  static void awaitFence(DataSource db, AuditLog audit) {
    UUID fence = UUID.randomUUID();
    audit.fence(fence).await().atMost(Duration.ofSeconds(30));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> count(db, "SELECT count(*) FROM audit_fences WHERE id = '" + fence + "'") == 1);
  }

  static long count(DataSource db, String query) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    }
  }
}
