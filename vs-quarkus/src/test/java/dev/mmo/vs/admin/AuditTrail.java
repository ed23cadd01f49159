package dev.mmo.vs.admin;

import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.session.SessionEntity;
import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables the admin API works on, reached over plain JDBC so that tests check what PostgreSQL
 * really holds, independently of the reactive code under test.
 */
@ApplicationScoped
public class AuditTrail {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AgroalDataSource db;

  public AuditTrail(AgroalDataSource db) {
    this.db = db;
  }

  /**
   * Empties the admin tables in one statement; fails if some other table still points at them. One
   * TRUNCATE, not a DELETE per table: the audit writer may commit a late record of an earlier test
   * at any moment, and it must not land between two deletes.
   */
  public void clear() {
    update("TRUNCATE receipts, revocations, sessions, allowed_software, game_servers");
  }

  /**
   * Records a session of {@code gsId} the way the join path does: a {@link SessionEntity} persisted
   * through Hibernate Reactive, on a Vert.x context.
   */
  public SessionId addSession(GsId gsId, Hash swHash, Instant createdAt) {
    SessionId id = SessionId.random(RANDOM);
    SessionEntity session =
        SessionEntity.active(
            id,
            gsId,
            Ed25519KeyPair.generate(RANDOM).publicKey(),
            swHash,
            new byte[] {0x01, 0x02, 0x03},
            createdAt);
    try {
      VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(session::persist));
    } catch (Throwable e) {
      throw new IllegalStateException("could not record a session", e);
    }
    return id;
  }

  /** Sets a session's status by hand, e.g. to ENDED. */
  public void setSessionStatus(SessionId id, String status) {
    update("UPDATE sessions SET status = ? WHERE id = ?", status, id.bytes().toByteArray());
  }

  public List<Map<String, Object>> query(String sql, Object... parameters) {
    try (Connection c = db.getConnection();
        PreparedStatement statement = prepare(c, sql, parameters);
        ResultSet rows = statement.executeQuery()) {
      List<Map<String, Object>> result = new ArrayList<>();
      while (rows.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
          row.put(rows.getMetaData().getColumnLabel(i), rows.getObject(i));
        }
        result.add(row);
      }
      return result;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  public Map<String, Object> single(String sql, Object... parameters) {
    List<Map<String, Object>> rows = query(sql, parameters);
    if (rows.size() != 1) {
      throw new AssertionError("expected one row from " + sql + ", got " + rows);
    }
    return rows.get(0);
  }

  private void update(String sql, Object... parameters) {
    try (Connection c = db.getConnection();
        PreparedStatement statement = prepare(c, sql, parameters)) {
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... parameters)
      throws SQLException {
    PreparedStatement statement = c.prepareStatement(sql);
    for (int i = 0; i < parameters.length; i++) {
      statement.setObject(i + 1, parameters[i]);
    }
    return statement;
  }
}
