package dev.mmo.vs.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.testing.ProxiedService;
import dev.mmo.vs.testing.TcpProxy;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL taken away from the VS (a proxy cut, the shared server keeps running) under a stream
 * of receipts: every receipt is still confirmed at once, none is written while PostgreSQL is away,
 * and after it returns every one is in the table, once.
 */
@QuarkusTest
@WithTestResource(ProxiedService.Postgres.class)
class AuditPostgresOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int MIN_RECEIPTS = 200;
  private static final int MAX_RECEIPTS = 20_000;

  @Inject AuditLog audit;
  @Inject AuditBrokerHealth broker;
  @Inject Pool pool;
  @Inject MeterRegistry registry;
  @Inject AuditMetrics metrics;

  @ConfigProperty(name = "mmo.db.name")
  String database;

  @ConfigProperty(name = "quarkus.datasource.username")
  String user;

  @ConfigProperty(name = "quarkus.datasource.password")
  String password;

  @Test
  void postgresAway_streamOfReceipts_everyOneWrittenOnceAfterItReturns() throws Exception {
    await().atMost(WAIT).until(broker::isUp);
    SessionId session = AuditFixtures.newSession(pool);
    TcpProxy proxy = ProxiedService.Postgres.proxy;
    double failuresBefore = counter("mmo.vs.audit.write.failures");

    proxy.cut();
    int published = 0;
    // Go on until the writer has failed a few times with the stream still flowing: PostgreSQL
    // was really away from this VS for a while, across several retries.
    while (published < MIN_RECEIPTS
        || counter("mmo.vs.audit.write.failures") < failuresBefore + 3) {
      assertThat(published)
          .as("receipts published while waiting for failures")
          .isLessThan(MAX_RECEIPTS);
      long counter = published + 1;
      audit
          .receipt(AuditFixtures.receipt(session, counter), AuditFixtures.digestFrame(counter))
          .await()
          .atMost(WAIT);
      published++;
    }
    assertThat(rowsOnTheRealServer(session)).isZero();
    proxy.restore();

    int expected = published;
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(rowsOnTheRealServer(session)).isEqualTo(expected));
    await().atMost(WAIT).untilAsserted(() -> assertThat(metrics.held()).isZero());
    assertThat(distinctCountersOnTheRealServer(session)).isEqualTo(expected);
  }

  /** Read past the proxy, straight from the shared PostgreSQL. */
  private long rowsOnTheRealServer(SessionId session) throws SQLException {
    return single("SELECT count(*) FROM receipts WHERE session_id = ?", session);
  }

  private long distinctCountersOnTheRealServer(SessionId session) throws SQLException {
    return single("SELECT count(DISTINCT gs_counter) FROM receipts WHERE session_id = ?", session);
  }

  private long single(String sql, SessionId session) throws SQLException {
    String url =
        "jdbc:postgresql://"
            + System.getenv().getOrDefault("MMO_DB_HOST", "127.0.0.1")
            + ":"
            + System.getenv().getOrDefault("MMO_DB_PORT", "5432")
            + "/"
            + database;
    try (Connection c = DriverManager.getConnection(url, user, password);
        PreparedStatement statement = c.prepareStatement(sql)) {
      statement.setBytes(1, session.bytes().toByteArray());
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private double counter(String name) {
    return registry.get(name).counter().count();
  }
}
