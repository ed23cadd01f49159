package dev.mmo.vs.gs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.Reason;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-source limit on new /gs connections, before anything is looked up: a source over its
 * burst is refused at once, and another source is not affected.
 */
@QuarkusTest
@TestProfile(SourceLimitTest.TightSourceLimit.class)
class SourceLimitTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int BURST = 3;

  /** A burst of {@value #BURST} connections per source, refilled once a minute. */
  public static final class TightSourceLimit implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "mmo.vs.gs.source-connection-burst",
          Integer.toString(BURST),
          "mmo.vs.gs.source-connections-per-minute",
          "1");
    }
  }

  @TestHTTPResource("/gs")
  URI http;

  @Inject GsLinks links;

  @Test
  void connect_overTheSourceBurst_closedWithRateLimitedWhileAnotherSourceGetsIn() throws Exception {
    URI gs = URI.create(http.toString().replaceFirst("^http", "ws"));
    InetAddress first = InetAddress.getByName("127.0.0.1");
    InetAddress second = InetAddress.getByName("127.0.0.2");
    List<RawGsSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < BURST; i++) {
        open.add(RawGsSocket.connect(gs, first));
      }
      // The upgrade answers before the server's @OnOpen runs, on either event loop: wait until
      // the burst has been taken, so the next connection is the one over it.
      await().atMost(WAIT).until(() -> links.size() >= BURST);

      try (RawGsSocket over = RawGsSocket.connect(gs, first)) {
        assertThat(over.awaitClose(WAIT)).isEqualTo(Reason.RATE_LIMITED.closeCode());
      }
      // Another source has its own burst: silent, it is closed only by the bind timeout.
      try (RawGsSocket other = RawGsSocket.connect(gs, second)) {
        assertThat(other.awaitClose(WAIT)).isEqualTo(Reason.UNEXPECTED_TYPE.closeCode());
      }
    } finally {
      open.forEach(RawGsSocket::close);
    }
  }
}
