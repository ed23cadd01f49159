package dev.mmo.auditor;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.SessionId;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Optional;

/**
 * Reads a session's receipts from the VS admin API, {@code GET /api/sessions/{id}/receipts}, page
 * by page. Every page starts at the counter after the previous page's last ({@code fromCounter}),
 * so no offset limit applies; a page must hold every item its {@code total} promises up to its
 * limit, in strictly ascending counters, else the listing is incomplete and reading fails.
 *
 * <p>Holds one page at a time. Not thread-safe.
 */
public final class VsReceiptClient implements ReceiptSource {
  /** The VS's largest page ({@code mmo.admin.max-page-size}). */
  public static final int MAX_PAGE_SIZE = 200;

  /** The most receipts one audit reads: a digest a second for more than eleven days. */
  public static final long MAX_RECEIPTS = 1_000_000;

  // A full page of receipts with 1,024 positions each is about 11 MB of base64.
  private static final long MAX_PAGE_BYTES = 32L * 1024 * 1024;
  private static final int MAX_ERROR_TEXT = 300;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI vs;
  private final String token;
  private final SessionId session;
  private final int pageSize;
  private final Duration timeout;
  private final Deque<ListedReceipt> page = new ArrayDeque<>();
  private long lastCounter;
  private long read;
  private boolean done;

  /**
   * @param vs the VS's base address, {@code http://host:port}
   * @param token a bearer token with the operator or admin role
   * @param pageSize items asked for per page, 1 to {@link #MAX_PAGE_SIZE}
   */
  public VsReceiptClient(
      HttpClient http, URI vs, String token, SessionId session, int pageSize, Duration timeout) {
    this.http = requireNonNull(http, "http");
    this.vs = requireNonNull(vs, "vs");
    this.token = requireNonNull(token, "token");
    this.session = requireNonNull(session, "session");
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("page size must be 1 to " + MAX_PAGE_SIZE);
    }
    this.pageSize = pageSize;
    this.timeout = requireNonNull(timeout, "timeout");
  }

  @Override
  public Optional<ListedReceipt> next() throws IOException {
    if (page.isEmpty() && !done) {
      fetch();
    }
    return Optional.ofNullable(page.poll());
  }

  private void fetch() throws IOException {
    URI uri = pageUri();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + uri, e);
    } catch (IOException e) {
      throw new IOException("GET " + uri + " failed: " + e.getMessage(), e);
    }
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readNBytes((int) MAX_PAGE_BYTES + 1);
    }
    if (body.length > MAX_PAGE_BYTES) {
      throw new IOException("GET " + uri + ": page larger than " + MAX_PAGE_BYTES + " bytes");
    }
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + uri + ": HTTP " + response.statusCode() + describe(response.statusCode(), body));
    }
    try {
      readPage(JSON.readTree(body), uri);
    } catch (JsonProcessingException e) {
      throw new IOException("GET " + uri + ": not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private URI pageUri() {
    String base = vs.toString().replaceAll("/+$", "");
    String query =
        "limit=" + pageSize + (lastCounter > 0 ? "&fromCounter=" + (lastCounter + 1) : "");
    return URI.create(base + "/api/sessions/" + session.hex() + "/receipts?" + query);
  }

  private void readPage(JsonNode root, URI uri) throws IOException {
    JsonNode items = root.path("items");
    JsonNode total = root.path("total");
    if (!items.isArray() || !total.canConvertToLong() || !total.isIntegralNumber()) {
      throw new IOException("GET " + uri + ": not a page of receipts (items, total)");
    }
    long promised = Math.min(total.asLong(), pageSize);
    if (items.size() > pageSize || items.size() != promised) {
      throw new IOException(
          "GET "
              + uri
              + ": incomplete listing: the page holds "
              + items.size()
              + " receipts but total "
              + total.asLong()
              + " and limit "
              + pageSize
              + " promise "
              + promised);
    }
    for (JsonNode item : items) {
      ListedReceipt r = item(item, uri);
      if (r.gsCounter() <= lastCounter) {
        throw new IOException(
            "GET "
                + uri
                + ": receipts out of order: gs_counter "
                + r.gsCounter()
                + " after "
                + lastCounter);
      }
      if (++read > MAX_RECEIPTS) {
        throw new IOException("the session has more than " + MAX_RECEIPTS + " receipts");
      }
      lastCounter = r.gsCounter();
      page.add(r);
    }
    // This page held the rest of the list.
    done = items.size() == total.asLong() || lastCounter == Long.MAX_VALUE;
  }

  private static ListedReceipt item(JsonNode item, URI uri) throws IOException {
    try {
      JsonNode counter = item.path("gsCounter");
      if (!counter.isIntegralNumber() || !counter.canConvertToLong() || counter.asLong() < 1) {
        throw new IllegalArgumentException("gsCounter is not a positive integer");
      }
      return new ListedReceipt(
          counter.asLong(),
          Hash.fromHex(text(item, "receiptTip")),
          Hash.fromHex(text(item, "digestHash")),
          Bytes.copyOf(Base64.getDecoder().decode(text(item, "receipt"))),
          Bytes.copyOf(Base64.getDecoder().decode(text(item, "digest"))));
    } catch (IllegalArgumentException e) {
      throw new IOException("GET " + uri + ": a receipt item is malformed: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode item, String field) {
    JsonNode value = item.path(field);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + " is missing or not a string");
    }
    return value.asText();
  }

  private static String describe(int status, byte[] body) {
    String hint =
        switch (status) {
          case 401 -> " (the token is missing, expired or not signed by a key the VS trusts)";
          case 403 -> " (the token lacks the operator or admin role)";
          case 404 -> " (the VS does not know this session)";
          default -> "";
        };
    String text = new String(body, StandardCharsets.UTF_8).strip();
    if (text.length() > MAX_ERROR_TEXT) {
      text = text.substring(0, MAX_ERROR_TEXT) + "...";
    }
    return hint + (text.isEmpty() ? "" : ": " + text);
  }
}
