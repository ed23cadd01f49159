package dev.mmo.auditor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.mmo.protocol.wire.SessionId;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The listing's paging and its strictness, against canned answers. */
class VsReceiptClientTest {
  private static final String TIP = "ab".repeat(32);
  private static final String HASH = "cd".repeat(32);
  private static final SessionId SESSION = SessionId.random(new SecureRandom());

  private final Deque<String> answers = new ConcurrentLinkedDeque<>();
  private final List<String> queries = new ArrayList<>();
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/sessions/",
        exchange -> {
          try (exchange) {
            synchronized (queries) {
              queries.add(exchange.getRequestURI().getRawQuery());
            }
            String body = answers.poll();
            byte[] bytes = (body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void next_pagesFromTheCounterAfterTheLast_untilTotal() throws Exception {
    answers.add(page(5, 2, item(3), item(5)));
    answers.add(page(3, 2, item(8), item(9)));
    answers.add(page(1, 2, item(12)));
    VsReceiptClient client = client(2);

    List<Long> counters = new ArrayList<>();
    for (Optional<ListedReceipt> r = client.next(); r.isPresent(); r = client.next()) {
      counters.add(r.get().gsCounter());
    }

    assertThat(counters).containsExactly(3L, 5L, 8L, 9L, 12L);
    assertThat(queries)
        .containsExactly("limit=2", "limit=2&fromCounter=6", "limit=2&fromCounter=10");
  }

  @Test
  void next_emptySession_endsAtOnce() throws Exception {
    answers.add(page(0, 50));
    assertThat(client(50).next()).isEmpty();
  }

  @Test
  void next_malformedAnswers_refused() throws Exception {
    List<String> bad =
        List.of(
            "not json",
            "{\"total\":1}",
            "{\"items\":{},\"total\":1}",
            page(3, 2, item(3)),
            page(1, 2, item(3), item(4)),
            page(2, 2, item(4), item(4)),
            page(1, 2, item(0)),
            page(
                1,
                2,
                "{\"gsCounter\":3,\"receiptTip\":\""
                    + TIP
                    + "\",\"digestHash\":\""
                    + HASH
                    + "\",\"receipt\":\"AAEC\"}"),
            page(1, 2, item(3).replace(TIP, "zz")),
            page(1, 2, item(3).replace("\"AAEC\"", "\"%%%\"")),
            page(1, 2, item(3).replace("\"gsCounter\":3", "\"gsCounter\":\"3\"")));
    List<String> accepted = new ArrayList<>();
    for (String body : bad) {
      answers.clear();
      answers.add(body);
      VsReceiptClient client = client(2);
      try {
        while (client.next().isPresent()) {
          // Read to the end.
        }
        accepted.add(body);
      } catch (IOException expected) {
        assertThat(expected.getMessage()).startsWith("GET " + uri());
      }
    }
    assertThat(accepted).isEmpty();
  }

  @Test
  void next_countersGoingBackAcrossPages_refused() throws Exception {
    answers.add(page(3, 2, item(3), item(5)));
    answers.add(page(1, 2, item(4)));
    VsReceiptClient client = client(2);
    client.next();
    client.next();

    assertThatThrownBy(client::next)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("out of order: gs_counter 4 after 5");
  }

  private VsReceiptClient client(int pageSize) {
    return new VsReceiptClient(
        HttpClient.newHttpClient(), uri(), "t.o.k", SESSION, pageSize, Duration.ofSeconds(30));
  }

  private URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static String page(long total, int limit, String... items) {
    return "{\"items\":["
        + String.join(",", items)
        + "],\"offset\":0,\"limit\":"
        + limit
        + ",\"total\":"
        + total
        + "}";
  }

  private static String item(long counter) {
    return "{\"gsCounter\":"
        + counter
        + ",\"receiptTip\":\""
        + TIP
        + "\",\"digestHash\":\""
        + HASH
        + "\",\"notarizedAt\":\"2026-11-24T12:00:00Z\",\"recordedAt\":\"2026-11-24T12:00:01Z\","
        + "\"receipt\":\"AAEC\",\"digest\":\"AwQF\"}";
  }
}
