package dev.mmo.vs.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.Reason;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The retention of refused joins, against the real PostgreSQL. */
@QuarkusTest
class JoinRejectionRetentionTest {
  @Inject Pool pool;
  @Inject JoinRejectionRetention retention;

  @Test
  void purge_rowsAroundTheRetention_deletesOnlyTheOlderOnes() {
    String gsId = "gs-" + UUID.randomUUID().toString().substring(0, 13);
    record(gsId, Reason.CLOCK_SKEW, OffsetDateTime.now().minusDays(31));
    record(gsId, Reason.REPLAY, OffsetDateTime.now().minusDays(29));

    assertThat(retention.purge().await().atMost(Duration.ofSeconds(10))).isPositive();

    assertThat(count(gsId, Reason.CLOCK_SKEW)).isZero();
    assertThat(count(gsId, Reason.REPLAY)).isEqualTo(1);
  }

  private void record(String gsId, Reason reason, OffsetDateTime at) {
    pool.preparedQuery(
            "INSERT INTO join_rejections (gs_id, reason_code, remote_address, rejected_at)"
                + " VALUES ($1, $2, '192.0.2.1', $3)")
        .execute(Tuple.of(gsId, reason.code(), at))
        .await()
        .indefinitely();
  }

  private long count(String gsId, Reason reason) {
    return pool.preparedQuery(
            "SELECT count(*) FROM join_rejections WHERE gs_id = $1 AND reason_code = $2")
        .execute(Tuple.of(gsId, reason.code()))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getLong(0);
  }
}
