package dev.mmo.vs.gs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.transport.RawWebSocket;
import dev.mmo.transport.TransportContract;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport rules of docs/protocol.md section 1.1 on the VS's port, against the real server
 * (the shared {@link TransportContract}, and open connections per source counted at the accept),
 * while a bystander game server keeps its session and its tickets.
 */
@QuarkusTest
@TestProfile(TransportGuardTest.ShortUpgrade.class)
class TransportGuardTest extends TransportContract {
  private static final Duration UPGRADE_TIMEOUT = Duration.ofSeconds(1);

  /** The test profile's bind timeout. */
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(2);

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final int PER_SOURCE = 8;

  /** An upgrade timeout of a second, {@value #PER_SOURCE} connections per source. */
  public static final class ShortUpgrade implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "mmo.vs.http.upgrade-timeout",
          "1s",
          "mmo.vs.http.max-connections-per-source",
          Integer.toString(PER_SOURCE));
    }
  }

  @TestHTTPResource("/gs")
  URI http;

  @Inject Pool pool;

  private GsTestClient bystander;

  @BeforeEach
  void bystanderJoins() throws Exception {
    bystander =
        GsFixtures.joinedBystander(
            pool, URI.create(http.toString().replaceFirst("^http", "ws")), WAIT);
  }

  @AfterEach
  void bystanderLeaves() {
    bystander.close();
  }

  @Override
  protected int port() {
    return http.getPort();
  }

  @Override
  protected String path() {
    return "/gs";
  }

  @Override
  protected int maxMessageBytes() {
    return Limits.MAX_FRAME_BYTES;
  }

  @Override
  protected Duration upgradeTimeout() {
    return UPGRADE_TIMEOUT;
  }

  @Override
  protected Duration firstMessageTimeout() {
    return BIND_TIMEOUT;
  }

  /** The bystander's session goes on: a new ticket arrives, and the connection is open. */
  @Override
  protected void bystanderUnaffected() throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Frame f = bystander.next(WAIT);
      if (f instanceof Attested<?> a && a.statement() instanceof PlayTicket) {
        return;
      }
    }
    throw new AssertionError("no ticket for the bystander");
  }

  @Test
  void connectionsBeyondThePerSourceLimit_closedAtTheAccept() throws Exception {
    InetAddress source = InetAddress.getByName("127.0.0.3");
    List<RawWebSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < PER_SOURCE; i++) {
        RawWebSocket raw = RawWebSocket.connect("127.0.0.1", http.getPort(), source);
        held.add(raw);
        assertThat(raw.upgrade("/gs", "")).startsWith("HTTP/1.1 101 ");
      }
      try (RawWebSocket over = RawWebSocket.connect("127.0.0.1", http.getPort(), source)) {
        assertThat(over.awaitEnd(SLACK)).as("closed at the accept").isTrue();
      }
      // Another source is not affected.
      try (RawWebSocket other =
          RawWebSocket.connect("127.0.0.1", http.getPort(), InetAddress.getByName("127.0.0.4"))) {
        assertThat(other.upgrade("/gs", "")).startsWith("HTTP/1.1 101 ");
      }
    } finally {
      for (RawWebSocket raw : held) {
        raw.close();
      }
    }
    bystanderUnaffected();
  }
}
