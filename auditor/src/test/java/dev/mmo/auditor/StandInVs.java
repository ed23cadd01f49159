package dev.mmo.auditor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.SessionId;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The VS's {@code GET /api/sessions/{id}/receipts} in process: the JSON shape of {@code
 * PageView<ReceiptView>}, the same paging ({@code fromCounter}, {@code limit} 1..200, {@code
 * offset}) and a bearer token checked on every request. Faults: one page answered with an HTTP
 * error, or one page missing its last item.
 */
final class StandInVs implements AutoCloseable {
  static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJncm91cHMiOlsib3BlcmF0b3IiXX0.c2lnbmF0dXJl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final SessionId session;
  private final List<RecordedMatch.Receipt> receipts;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int failingRequest = -1;
  private volatile int failingStatus;
  private volatile int shortRequest = -1;
  private volatile long misreportedCounter = -1;

  StandInVs(SessionId session, List<RecordedMatch.Receipt> receipts) throws IOException {
    this.session = session;
    this.receipts = List.copyOf(receipts);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/sessions/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The {@code n}th request (from 1) is answered with {@code status}. */
  StandInVs failRequest(int n, int status) {
    failingRequest = n;
    failingStatus = status;
    return this;
  }

  /** The {@code n}th request (from 1) gets a page without its last item. */
  StandInVs shortPage(int n) {
    shortRequest = n;
    return this;
  }

  /** Lists the receipt at {@code gsCounter} with a receipt tip other than the attested one. */
  StandInVs misreportTipAt(long gsCounter) {
    misreportedCounter = gsCounter;
    return this;
  }

  int requests() {
    return requests.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      int n = requests.incrementAndGet();
      if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        problem(exchange, 401, "UNAUTHORIZED", "a valid bearer token is required");
        return;
      }
      if (n == failingRequest) {
        problem(exchange, failingStatus, "INTERNAL", "the database is unavailable");
        return;
      }
      String[] path = exchange.getRequestURI().getPath().split("/");
      if (!"GET".equals(exchange.getRequestMethod())
          || path.length != 5
          || !"receipts".equals(path[4])) {
        problem(exchange, 404, "NOT_FOUND", "no such resource");
        return;
      }
      if (!path[3].equals(session.hex())) {
        problem(exchange, 404, "SESSION_NOT_FOUND", "no session " + path[3]);
        return;
      }
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      int limit = Integer.parseInt(query.getOrDefault("limit", "50"));
      int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
      long from = Long.parseLong(query.getOrDefault("fromCounter", "1"));
      if (limit < 1 || limit > 200 || offset < 0 || offset > 10_000 || from < 1) {
        problem(exchange, 400, "INVALID_PAGE", "bad paging");
        return;
      }
      List<RecordedMatch.Receipt> matching = new ArrayList<>();
      for (RecordedMatch.Receipt r : receipts) {
        if (r.gsCounter() >= from) {
          matching.add(r);
        }
      }
      List<RecordedMatch.Receipt> page =
          matching.subList(
              Math.min(offset, matching.size()), Math.min(offset + limit, matching.size()));
      if (n == shortRequest && !page.isEmpty()) {
        page = page.subList(0, page.size() - 1);
      }
      ObjectNode root = JSON.createObjectNode();
      ArrayNode items = root.putArray("items");
      for (RecordedMatch.Receipt r : page) {
        ProtectedReceipt statement = r.receipt().statement();
        ObjectNode item = items.addObject();
        item.put("gsCounter", r.gsCounter());
        item.put(
            "receiptTip",
            r.gsCounter() == misreportedCounter
                ? Sha256.hash(statement.receiptTip().toByteArray()).hex()
                : statement.receiptTip().hex());
        item.put("digestHash", statement.digestHash().hex());
        item.put("notarizedAt", Instant.ofEpochMilli(statement.notarizedAtMs()).toString());
        item.put("recordedAt", Instant.ofEpochMilli(statement.notarizedAtMs() + 40).toString());
        item.put("receipt", Base64.getEncoder().encodeToString(Codec.encode(r.receipt())));
        item.put("digest", Base64.getEncoder().encodeToString(r.digest()));
      }
      root.put("offset", offset);
      root.put("limit", limit);
      root.put("total", matching.size());
      send(exchange, 200, "application/json", root.toString());
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        out.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return out;
  }

  private static void problem(HttpExchange exchange, int status, String code, String detail)
      throws IOException {
    // The VS's application/problem+json body.
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "urn:mmo:problem:" + code.toLowerCase().replace('_', '-'));
    body.put("title", code);
    body.put("status", status);
    body.put("detail", detail);
    body.put("code", code);
    send(exchange, status, "application/problem+json", body.toString());
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
