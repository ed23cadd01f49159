package dev.mmo.vs.gs;

import static dev.mmo.vs.gs.GsFixtures.attested;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.chain.TicketChainVerifier;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.hsm.HsmSigner;
import dev.mmo.vs.hsm.SoftHsmFixture;
import dev.mmo.vs.redis.RedisKeys;
import dev.mmo.vs.session.KeptTicket;
import dev.mmo.vs.session.LiveSession;
import dev.mmo.vs.session.LiveSessions;
import io.agroal.api.AgroalDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /gs while a part the VS needs is really down: the HSM token (its configuration broken and every
 * login ended), PostgreSQL (a table renamed away), Redis (a key of the wrong type). Nothing the VS
 * cannot back is issued, and everything comes back by itself once the part does.
 */
@QuarkusTest
@TestProfile(GameServerOutageTest.BreakableToken.class)
class GameServerOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  static final Path CONFIG = Path.of("target", "hsm-gs", "sunpkcs11.cfg");

  /** Points the VS at {@link #CONFIG}, a copy of the real token's configuration, probed often. */
  public static final class BreakableToken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      install(SoftHsmFixture.SUNPKCS11_CONFIG);
      return Map.of(
          "mmo.vs.hsm.config",
          CONFIG.toAbsolutePath().toString(),
          "mmo.vs.hsm.probe-interval",
          "200ms");
    }
  }

  @TestHTTPResource("/gs")
  URI http;

  @Inject Pool pool;
  @Inject AgroalDataSource db;
  @Inject RedisDataSource redis;
  @Inject HsmSigner hsm;
  @Inject LiveSessions sessions;

  private GsFixtures fixtures;
  private VsProofVerifier proofs;
  private URI gs;

  @BeforeEach
  void setUp() {
    await().atMost(WAIT).until(() -> hsm.status().up());
    fixtures = new GsFixtures(pool);
    proofs = new VsProofVerifier(TrustAnchors.of(SoftHsmFixture.vsPublicKey()));
    gs = URI.create(http.toString().replaceFirst("^http", "ws"));
  }

  @Test
  void join_hsmDown_closedWithServiceUnavailableAndNothingIssued() throws Exception {
    Ed25519KeyPair key = GsFixtures.freshKey();
    GsId id = fixtures.enroll(GsFixtures.freshId(), key);

    breakToken();
    try {
      assertRefused(
          GsFixtures.joinRequest(id, key, GsFixtures.freshKey(), GsFixtures.SOFTWARE, now()),
          Reason.SERVICE_UNAVAILABLE);
    } finally {
      repairToken();
    }

    assertThat(fixtures.sessionRows(id)).isZero();
    assertThat(sessions.sessionsOf(id).await().atMost(WAIT)).isEmpty();
    assertJoins(id, key);
  }

  @Test
  void ticket_reservedWhileTheHsmIsDown_isSignedAgainAndDeliveredOnceItReturns() throws Exception {
    Ed25519KeyPair key = GsFixtures.freshKey();
    GsId id = fixtures.enroll(GsFixtures.freshId(), key);
    try (GsTestClient client = GsTestClient.connect(gs)) {
      client.send(
          GsFixtures.joinRequest(id, key, GsFixtures.freshKey(), GsFixtures.SOFTWARE, now()));
      JoinAccept accept = proofs.verify(attested(client.next(WAIT), JoinAccept.class));
      SessionId session = accept.sessionId();
      TicketChainVerifier chain = new TicketChainVerifier(proofs, accept, 2_000);
      chain.accept(attested(client.next(WAIT), PlayTicket.class), now());
      KeptTicket reserved;

      breakToken();
      try {
        // The next round reserves the next counter in Redis and cannot sign it; from then on the
        // rounds only try to deliver that one: the chain does not move on without it.
        AtomicLong seen = new AtomicLong(-1);
        await()
            .during(Duration.ofSeconds(1))
            .atMost(WAIT)
            .until(
                () -> {
                  long tip = load(session).tipCounter();
                  return seen.getAndSet(tip) == tip && tip > chain.chain().lastCounter();
                });
        LiveSession during = load(session);
        reserved = during.kept().get(during.kept().size() - 1);
        assertThat(reserved.counter()).isEqualTo(during.tipCounter());
      } finally {
        repairToken();
      }

      // Tickets signed before the token broke may still arrive; the reserved one comes next.
      PlayTicket next;
      do {
        next = chain.accept(attested(client.next(WAIT), PlayTicket.class), now());
      } while (next.counter() < reserved.counter());
      assertThat(next).isEqualTo(reserved.ticket(session));
      PlayTicket after = chain.accept(attested(client.next(WAIT), PlayTicket.class), now());
      assertThat(after.counter()).isEqualTo(reserved.counter() + 1);
    }
  }

  @Test
  void join_postgresDown_closedWithServiceUnavailableAndNothingIssued() throws Exception {
    Ed25519KeyPair key = GsFixtures.freshKey();
    GsId id = fixtures.enroll(GsFixtures.freshId(), key);

    renameTable("sessions", "sessions_offline");
    try {
      assertRefused(
          GsFixtures.joinRequest(id, key, GsFixtures.freshKey(), GsFixtures.SOFTWARE, now()),
          Reason.SERVICE_UNAVAILABLE);
    } finally {
      renameTable("sessions_offline", "sessions");
    }

    assertThat(fixtures.sessionRows(id)).isZero();
    assertJoins(id, key);
  }

  @Test
  void join_enrollmentsUnreadable_closedWithServiceUnavailable() throws Exception {
    Ed25519KeyPair key = GsFixtures.freshKey();
    GsId id = fixtures.enroll(GsFixtures.freshId(), key);

    renameTable("allowed_software", "allowed_software_offline");
    try {
      assertRefused(
          GsFixtures.joinRequest(id, key, GsFixtures.freshKey(), GsFixtures.SOFTWARE, now()),
          Reason.SERVICE_UNAVAILABLE);
    } finally {
      renameTable("allowed_software_offline", "allowed_software");
    }

    assertThat(fixtures.sessionRows(id)).isZero();
    assertJoins(id, key);
  }

  @Test
  void join_redisFailsForTheServer_closedWithServiceUnavailableAndNothingIssued() throws Exception {
    Ed25519KeyPair key = GsFixtures.freshKey();
    GsId id = fixtures.enroll(GsFixtures.freshId(), key);
    long minute = now() / 60_000;
    // The join counter of this minute (and the next, should it turn) holds a hash: INCR fails.
    String[] counters = {RedisKeys.joinRate(id, minute), RedisKeys.joinRate(id, minute + 1)};
    for (String counter : counters) {
      redis.hash(String.class).hset(counter, "broken", "wrong type");
    }
    try {
      assertRefused(
          GsFixtures.joinRequest(id, key, GsFixtures.freshKey(), GsFixtures.SOFTWARE, now()),
          Reason.SERVICE_UNAVAILABLE);
    } finally {
      redis.key().del(counters);
    }

    assertThat(fixtures.sessionRows(id)).isZero();
    // The signature had verified: the refusal is on record.
    await()
        .atMost(WAIT)
        .until(() -> fixtures.joinRejections(id, Reason.SERVICE_UNAVAILABLE.code()) == 1);
    assertJoins(id, key);
  }

  /** After the outage, the same game server joins and gets tickets. */
  private void assertJoins(GsId id, Ed25519KeyPair key) throws Exception {
    try (GsTestClient client = GsTestClient.connect(gs)) {
      client.send(
          GsFixtures.joinRequest(id, key, GsFixtures.freshKey(), GsFixtures.SOFTWARE, now()));
      JoinAccept accept = proofs.verify(attested(client.next(WAIT), JoinAccept.class));
      new TicketChainVerifier(proofs, accept, 2_000)
          .accept(attested(client.next(WAIT), PlayTicket.class), now());
    }
  }

  private LiveSession load(SessionId id) {
    return sessions.load(id).await().atMost(WAIT).orElseThrow();
  }

  /** Every login fails from now on: the configuration names a slot that does not exist. */
  private void breakToken() throws IOException {
    Path broken = CONFIG.resolveSibling("broken.cfg");
    Files.writeString(
        broken,
        Files.readString(SoftHsmFixture.SUNPKCS11_CONFIG)
            .replace("slotListIndex = 0", "slotListIndex = 9"));
    install(broken);
    SoftHsmFixture.logOutEveryone();
    await().atMost(WAIT).until(() -> !hsm.status().up());
  }

  private void repairToken() {
    install(SoftHsmFixture.SUNPKCS11_CONFIG);
    await().atMost(WAIT).until(() -> hsm.status().up());
  }

  private static void install(Path config) {
    try {
      Files.createDirectories(CONFIG.getParent());
      Path staged = CONFIG.resolveSibling("staged.cfg");
      Files.copy(config, staged, StandardCopyOption.REPLACE_EXISTING);
      // Atomic, so a login never reads half a file.
      Files.move(
          staged, CONFIG, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void renameTable(String from, String to) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE " + from + " RENAME TO " + to);
    }
  }

  private void assertRefused(byte[] frame, Reason reason) throws Exception {
    try (GsTestClient client = GsTestClient.connect(gs)) {
      client.send(frame);
      assertThat(client.closeStatus(WAIT)).as("close status").isEqualTo(reason.closeCode());
      client.assertNoFrameWithin(Duration.ZERO);
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
