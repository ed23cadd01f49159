package dev.mmo.vs.admin.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.transport.RawWebSocket;
import dev.mmo.vs.admin.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API's limits against the real VS: per source, per token, refused tokens per source and
 * requests in flight, each answered 429 TOO_MANY_REQUESTS with Retry-After, each leaving other
 * sources and tokens served.
 */
@QuarkusTest
@TestProfile(AdminLimitsTest.SmallLimits.class)
class AdminLimitsTest {
  private static final int SOURCE_BURST = 6;
  private static final int TOKEN_BURST = 4;
  private static final int BAD_TOKEN_BURST = 3;
  private static final int IN_FLIGHT = 3;

  /** Small bursts that refill slowly, so a test spends them within its run. */
  public static final class SmallLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "mmo.admin.limits.per-source-per-second", "1",
          "mmo.admin.limits.per-source-burst", Integer.toString(SOURCE_BURST),
          "mmo.admin.limits.per-token-per-second", "1",
          "mmo.admin.limits.per-token-burst", Integer.toString(TOKEN_BURST),
          "mmo.admin.limits.bad-tokens-per-second", "1",
          "mmo.admin.limits.bad-token-burst", Integer.toString(BAD_TOKEN_BURST),
          "mmo.admin.limits.max-in-flight", Integer.toString(IN_FLIGHT),
          "mmo.admin.limits.new-token-burst", "1000",
          "mmo.admin.limits.verify-bytes-burst", "1000000000");
    }
  }

  @TestHTTPResource("/")
  URL http;

  private final List<RawWebSocket> open = new ArrayList<>();

  @AfterEach
  void close() throws IOException {
    for (RawWebSocket raw : open) {
      raw.close();
    }
  }

  private RawWebSocket connect(String from) throws IOException {
    RawWebSocket raw =
        RawWebSocket.connect("127.0.0.1", http.getPort(), InetAddress.getByName(from));
    open.add(raw);
    return raw;
  }

  private static String get(RawWebSocket raw, String path, String token) throws IOException {
    String auth = token == null ? "" : "Authorization: Bearer " + token + "\r\n";
    raw.send(
        ("GET " + path + " HTTP/1.1\r\nHost: vs\r\n" + auth + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    return raw.readAnswer();
  }

  private static void assertLimited(String answer) {
    assertThat(answer)
        .startsWith("HTTP/1.1 429 ")
        .containsPattern("(?i)\r\nretry-after: [1-9][0-9]*\r\n")
        .contains("application/problem+json")
        .contains("\"code\":\"TOO_MANY_REQUESTS\"");
  }

  @Test
  void beyondTheSourceBurst_429_otherSourcesServed() throws Exception {
    RawWebSocket raw = connect("127.0.3.1");
    for (int i = 0; i < SOURCE_BURST; i++) {
      assertThat(get(raw, "/api/trust-anchors", null)).startsWith("HTTP/1.1 200 ");
    }
    assertLimited(get(raw, "/api/trust-anchors", null));
    assertThat(get(connect("127.0.3.2"), "/api/trust-anchors", null)).startsWith("HTTP/1.1 200 ");
  }

  @Test
  void beyondTheTokenBurst_429FromAnySource_otherTokensServed() throws Exception {
    String token = TestTokens.withRoles("limits-token", "operator");
    for (int i = 0; i < TOKEN_BURST; i++) {
      RawWebSocket raw = connect("127.0.4." + (i + 1));
      assertThat(get(raw, "/api/revocations", token)).startsWith("HTTP/1.1 200 ");
    }
    assertLimited(get(connect("127.0.4.100"), "/api/revocations", token));
    assertThat(get(connect("127.0.4.101"), "/api/revocations", TestTokens.operator()))
        .startsWith("HTTP/1.1 200 ");
  }

  @Test
  void refusedTokensBeyondTheirBurst_theSourceIsNotHeard_evenWithAGoodToken() throws Exception {
    RawWebSocket raw = connect("127.0.5.1");
    for (int i = 0; i < BAD_TOKEN_BURST; i++) {
      assertThat(get(raw, "/api/revocations", "not-a-token-" + i)).startsWith("HTTP/1.1 401 ");
    }
    assertLimited(get(raw, "/api/revocations", TestTokens.operator()));
    assertThat(get(connect("127.0.5.2"), "/api/revocations", TestTokens.operator()))
        .startsWith("HTTP/1.1 200 ");
  }

  @Test
  void beyondTheRequestsInFlight_429_untilOneEnds() throws Exception {
    List<RawWebSocket> slow = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      RawWebSocket raw = connect("127.0.6." + (i + 1));
      // A body that never comes whole keeps its request in progress.
      raw.send(
          ("POST /api/game-servers HTTP/1.1\r\nHost: vs\r\nAuthorization: Bearer "
                  + TestTokens.admin()
                  + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
              .getBytes(StandardCharsets.US_ASCII));
      slow.add(raw);
    }
    RawWebSocket other = connect("127.0.6.50");
    String answer = "";
    for (int i = 0; i < 50 && !answer.startsWith("HTTP/1.1 429 "); i++) {
      answer = get(other, "/api/trust-anchors", null);
    }
    assertLimited(answer);
    slow.get(0).close();
    String after = "";
    for (int i = 0; i < 50 && !after.startsWith("HTTP/1.1 200 "); i++) {
      after = get(connect("127.0.6." + (60 + i)), "/api/trust-anchors", null);
    }
    assertThat(after).startsWith("HTTP/1.1 200 ");
  }
}
