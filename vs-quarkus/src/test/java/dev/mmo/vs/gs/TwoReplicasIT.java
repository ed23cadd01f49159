package dev.mmo.vs.gs;

import static dev.mmo.vs.gs.GsFixtures.attested;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.chain.TicketChainVerifier;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Several VS replicas from the packaged jar, sharing Redis, PostgreSQL and the HSM token: a game
 * server's session moves between them, survives a replica crash and a fresh replica, and its ticket
 * chain never forks or skips; all replicas extend one batch-head chain.
 */
class TwoReplicasIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String DB =
      "jdbc:postgresql://127.0.0.1:5432/" + System.getenv().getOrDefault("MMO_TEST_DB", "mmo_test");

  @Test
  void session_movedAcrossReplicasAndACrash_oneChainWithoutGapOrFork() throws Exception {
    VsProofVerifier proofs = new VsProofVerifier(TrustAnchors.of(vsPublicKey()));
    Ed25519KeyPair gsKey = GsFixtures.freshKey();
    Ed25519KeyPair sessionKey = GsFixtures.freshKey();
    GsId id = GsFixtures.freshId();
    enroll(id, gsKey);
    long firstHead = newestHead();

    try (VsProcess a = VsProcess.start("a", Map.of());
        VsProcess b = VsProcess.start("b", Map.of())) {
      TicketChainVerifier chain;
      JoinAccept accept;
      try (GsTestClient onA = GsTestClient.connect(a.gsEndpoint())) {
        onA.send(GsFixtures.joinRequest(id, gsKey, sessionKey, GsFixtures.SOFTWARE, now()));
        accept = proofs.verify(attested(onA.next(WAIT), JoinAccept.class));
        chain = new TicketChainVerifier(proofs, accept, 2_000);
        follow(proofs, chain, onA, 3);
      }
      try (GsTestClient onB = GsTestClient.connect(b.gsEndpoint())) {
        onB.send(GsFixtures.resumeRequest(accept.sessionId(), 1, now(), sessionKey));
        follow(proofs, chain, onB, 3);
      }
      b.close(); // a crash: the session's state is in Redis, not in the replica
      try (VsProcess c = VsProcess.start("c", Map.of());
          GsTestClient onC = GsTestClient.connect(c.gsEndpoint())) {
        onC.send(GsFixtures.resumeRequest(accept.sessionId(), 2, now(), sessionKey));
        follow(proofs, chain, onC, 3);
      }
      assertThat(chain.chain().lastCounter()).isGreaterThanOrEqualTo(9);
    }
    // Heads reach PostgreSQL through the audit queue, a moment after their statements.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertBatchHeadsChained(firstHead));
  }

  /**
   * Accepts {@code count} new links from {@code client}; tickets a resume sends again (at or below
   * the newest link held) are checked and skipped.
   */
  private static void follow(
      VsProofVerifier proofs, TicketChainVerifier chain, GsTestClient client, int count)
      throws Exception {
    int accepted = 0;
    while (accepted < count) {
      Attested<PlayTicket> ticket = attested(client.next(WAIT), PlayTicket.class);
      PlayTicket t = proofs.verify(ticket);
      if (t.counter() <= chain.chain().lastCounter()) {
        if (t.counter() == chain.chain().lastCounter()) {
          assertThat(t).isEqualTo(chain.latest().orElseThrow());
        }
        continue;
      }
      chain.accept(ticket, now());
      accepted++;
    }
  }

  private static void assertBatchHeadsChained(long fromSeq) throws Exception {
    try (Connection db = DriverManager.getConnection(DB, "mmo", "mmo");
        PreparedStatement query =
            db.prepareStatement(
                "SELECT batch_seq, prev_head_hash, head_hash FROM batch_heads"
                    + " WHERE batch_seq >= ? ORDER BY batch_seq")) {
      query.setLong(1, fromSeq);
      List<String> breaks = new ArrayList<>();
      long expectedSeq = -1;
      byte[] previousHash = null;
      int rows = 0;
      try (ResultSet r = query.executeQuery()) {
        while (r.next()) {
          rows++;
          long seq = r.getLong(1);
          if (expectedSeq >= 0 && seq != expectedSeq) {
            breaks.add("gap before batch " + seq);
          }
          if (previousHash != null && !java.util.Arrays.equals(previousHash, r.getBytes(2))) {
            breaks.add("batch " + seq + " does not point at batch " + (seq - 1));
          }
          expectedSeq = seq + 1;
          previousHash = r.getBytes(3);
        }
      }
      assertThat(rows).isGreaterThan(3);
      assertThat(breaks).isEmpty();
    }
  }

  private static long newestHead() throws Exception {
    try (Connection db = DriverManager.getConnection(DB, "mmo", "mmo");
        ResultSet r =
            db.createStatement()
                .executeQuery("SELECT coalesce(max(batch_seq), 0) FROM batch_heads")) {
      r.next();
      return r.getLong(1);
    }
  }

  static void enroll(GsId id, Ed25519KeyPair key) throws Exception {
    try (Connection db = DriverManager.getConnection(DB, "mmo", "mmo")) {
      try (PreparedStatement insert =
          db.prepareStatement(
              "INSERT INTO game_servers (id, public_key, status, enrolled_at) VALUES (?, ?, 'ACTIVE', ?)")) {
        insert.setString(1, id.value());
        insert.setBytes(2, key.publicKey().bytes().toByteArray());
        insert.setObject(3, OffsetDateTime.now());
        insert.executeUpdate();
      }
      try (PreparedStatement insert =
          db.prepareStatement(
              "INSERT INTO allowed_software (gs_id, sw_hash, added_at) VALUES (?, ?, ?)")) {
        insert.setString(1, id.value());
        insert.setBytes(2, GsFixtures.SOFTWARE.toByteArray());
        insert.setObject(3, OffsetDateTime.now());
        insert.executeUpdate();
      }
    }
  }

  static EcdsaP256PublicKey vsPublicKey() throws Exception {
    String pem = Files.readString(Path.of("..", "infra", "softhsm", "work", "vs-public-key.pem"));
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return EcdsaP256PublicKey.fromSpkiDer(Base64.getDecoder().decode(base64));
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
