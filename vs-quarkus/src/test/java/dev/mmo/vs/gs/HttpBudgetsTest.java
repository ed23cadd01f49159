package dev.mmo.vs.gs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.transport.RawWebSocket;
import dev.mmo.vs.admin.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connection budgets of the VS's HTTP ports (vs-quarkus/README.md, "Connection budgets"),
 * against the real server: every plain request answered within the request timeout, connections
 * counted in all at the accept on each port apart, and the HTTP layer's own refusals answered as
 * problem documents, while a bystander game server keeps getting its tickets.
 */
@QuarkusTest
@TestProfile(HttpBudgetsTest.SmallBudgets.class)
class HttpBudgetsTest {
  private static final int MAIN = 24;
  private static final int MANAGEMENT = 6;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Room for {@value #MAIN} connections on the main port, {@value #MANAGEMENT} on the other. */
  public static final class SmallBudgets implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "mmo.vs.http.max-connections", Integer.toString(MAIN),
          "mmo.vs.http.management-max-connections", Integer.toString(MANAGEMENT),
          "mmo.vs.http.management-max-connections-per-source", Integer.toString(MANAGEMENT),
          "mmo.vs.http.request-timeout", REQUEST_TIMEOUT.toSeconds() + "s");
    }
  }

  @TestHTTPResource("/gs")
  URI http;

  @TestHTTPResource(value = "/health/ready", management = true)
  URL ready;

  @Inject Pool pool;

  private GsTestClient bystander;
  private final List<RawWebSocket> held = new ArrayList<>();

  @BeforeEach
  void bystanderJoins() throws Exception {
    bystander =
        GsFixtures.joinedBystander(
            pool, URI.create(http.toString().replaceFirst("^http", "ws")), WAIT);
  }

  @AfterEach
  void cleanUp() throws IOException {
    bystander.close();
    for (RawWebSocket raw : held) {
      raw.close();
    }
  }

  private RawWebSocket connect(int port, String from) throws IOException {
    RawWebSocket raw = RawWebSocket.connect("127.0.0.1", port, InetAddress.getByName(from));
    held.add(raw);
    return raw;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private void bystanderGetsATicket() throws Exception {
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
  void secondRequestTrickled_408ProblemAtTheRequestTimeout() throws Exception {
    RawWebSocket raw = connect(http.getPort(), "127.0.0.21");
    raw.send(ascii("GET /api/trust-anchors HTTP/1.1\r\nHost: vs\r\n\r\n"));
    assertThat(raw.readAnswer()).startsWith("HTTP/1.1 200 ");
    long start = System.nanoTime();
    raw.trickle(
        ascii("GET /api/trust-anchors HTTP/1.1\r\nHost: vs\r\n\r\n"), 0, Duration.ofMillis(300));
    String answer = raw.readAnswer();
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(answer)
        .startsWith("HTTP/1.1 408 ")
        .contains("content-type: application/problem+json")
        .contains("\"code\":\"REQUEST_TIMEOUT\"");
    assertThat(tookMs)
        .isBetween(REQUEST_TIMEOUT.toMillis() - 100, REQUEST_TIMEOUT.toMillis() + 1500);
    assertThat(raw.awaitEnd(WAIT)).isTrue();
    bystanderGetsATicket();
  }

  @Test
  void bodyTrickled_408ProblemAtTheRequestTimeout() throws Exception {
    RawWebSocket raw = connect(http.getPort(), "127.0.0.22");
    raw.send(
        ascii(
            "POST /api/game-servers HTTP/1.1\r\nHost: vs\r\nAuthorization: Bearer "
                + TestTokens.admin()
                + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n"));
    raw.trickle(ascii("{\"gs_id\":\"" + "a".repeat(3000)), 0, Duration.ofMillis(200));
    assertThat(raw.readAnswer())
        .startsWith("HTTP/1.1 408 ")
        .contains("\"code\":\"REQUEST_TIMEOUT\"");
    assertThat(raw.awaitEnd(WAIT)).isTrue();
  }

  @Test
  void httpLayerRefusals_areProblemDocuments() throws Exception {
    RawWebSocket longLine = connect(http.getPort(), "127.0.0.23");
    longLine.send(ascii("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: vs\r\n\r\n"));
    assertThat(longLine.readAnswer())
        .startsWith("HTTP/1.0 414 ")
        .contains("content-type: application/problem+json")
        .contains("\"status\":414")
        .contains("\"code\":\"REQUEST_LINE_TOO_LONG\"");

    RawWebSocket bigHeaders = connect(http.getPort(), "127.0.0.23");
    bigHeaders.send(ascii("GET / HTTP/1.1\r\nHost: vs\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n"));
    assertThat(bigHeaders.readAnswer())
        .startsWith("HTTP/1.1 431 ")
        .contains("\"code\":\"HEADER_FIELDS_TOO_LARGE\"");

    RawWebSocket malformed = connect(http.getPort(), "127.0.0.23");
    malformed.send(ascii("GET / HTTP/1.1\r\nHost: vs\r\nbroken header line\r\n\r\n"));
    assertThat(malformed.readAnswer())
        .startsWith("HTTP/1.1 400 ")
        .contains("\"code\":\"MALFORMED_REQUEST\"");
  }

  @Test
  void mainPortFull_closedAtTheAccept_managementAndTheBystanderUnaffected() throws Exception {
    // Idle connections from many sources, as a flood would open them, up to the port's budget.
    List<RawWebSocket> flood = new ArrayList<>();
    for (int i = 0; flood.size() < MAIN + 8 && i < MAIN * 3; i++) {
      flood.add(connect(http.getPort(), "127.0.1." + (1 + i % 200)));
    }
    long open = flood.stream().filter(r -> !endedWithin(r, Duration.ofMillis(100))).count();
    assertThat(open)
        .as("the port's budget, less the bystander and pooled test connections")
        .isLessThanOrEqualTo(MAIN - 1)
        .isGreaterThan(MAIN / 2);

    // The port is full: the next connection is closed before anything is read.
    RawWebSocket over = connect(http.getPort(), "127.0.2.1");
    assertThat(over.awaitEnd(WAIT)).isTrue();
    // The management port counts its own connections: probes are answered.
    RawWebSocket probe = connect(ready.getPort(), "127.0.0.1");
    probe.send(ascii("GET /q/health/ready HTTP/1.1\r\nHost: vs\r\n\r\n"));
    assertThat(probe.readAnswer()).startsWith("HTTP/1.1 200 ");
    bystanderGetsATicket();

    for (RawWebSocket raw : flood) {
      raw.close();
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              RawWebSocket again = connect(http.getPort(), "127.0.2.2");
              again.send(ascii("GET /api/trust-anchors HTTP/1.1\r\nHost: vs\r\n\r\n"));
              assertThat(again.readAnswer()).startsWith("HTTP/1.1 200 ");
            });
  }

  @Test
  void managementPortFull_closedAtTheAccept_theMainPortUnaffected() throws Exception {
    List<RawWebSocket> scrapes = new ArrayList<>();
    for (int i = 0; i < MANAGEMENT + 2; i++) {
      scrapes.add(connect(ready.getPort(), "127.0.0.1"));
    }
    assertThat(scrapes.stream().filter(r -> endedWithin(r, Duration.ofMillis(100))).count())
        .isEqualTo(2);
    RawWebSocket api = connect(http.getPort(), "127.0.0.24");
    api.send(ascii("GET /api/trust-anchors HTTP/1.1\r\nHost: vs\r\n\r\n"));
    assertThat(api.readAnswer()).startsWith("HTTP/1.1 200 ");
  }

  private static boolean endedWithin(RawWebSocket raw, Duration timeout) {
    try {
      return raw.awaitEnd(timeout);
    } catch (IOException e) {
      return true;
    }
  }
}
