package dev.mmo.auditor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.TrustAnchorsFile;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line: {@code audit --transcript FILE --vs URL (--token JWT | --token-file FILE)
 * --trust-anchors FILE [--json] [--page-size N]}. Exit status 0 for PASS, 1 for FAIL, 2 for bad
 * usage or when the transcript, the anchors or the receipts cannot be read.
 */
public final class AuditMain {
  static final int PASS = 0;
  static final int FAIL = 1;
  static final int ERROR = 2;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final long MAX_TOKEN_BYTES = 64 * 1024;
  private static final Set<String> VALUED =
      Set.of("--transcript", "--vs", "--token", "--token-file", "--trust-anchors", "--page-size");
  private static final String USAGE =
      "usage: audit --transcript FILE --vs http://host:port (--token JWT | --token-file FILE)"
          + " --trust-anchors FILE [--json] [--page-size 1..200]";

  private AuditMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    boolean json = List.of(args).contains("--json");
    try {
      Options options = Options.parse(args);
      TrustAnchors anchors = TrustAnchorsFile.read(options.anchors);
      if (!Files.isRegularFile(options.transcript) || !Files.isReadable(options.transcript)) {
        throw new UsageException(options.transcript + ": not a readable file");
      }
      String token = options.token();
      HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
      Verdict verdict =
          new Auditor(anchors)
              .audit(
                  options.transcript,
                  session ->
                      new VsReceiptClient(
                          http, options.vs, token, session, options.pageSize, REQUEST_TIMEOUT));
      out.print(options.json ? verdict.json() + "\n" : verdict.text());
      return verdict.passed() ? PASS : FAIL;
    } catch (UsageException e) {
      return error(json, e.getMessage() + "\n" + USAGE, out, err);
    } catch (IOException e) {
      return error(json, e.getMessage(), out, err);
    }
  }

  private static int error(boolean json, String message, PrintStream out, PrintStream err) {
    if (json) {
      ObjectNode root = new ObjectMapper().createObjectNode();
      root.put("verdict", "ERROR");
      root.put("error", message);
      out.println(root);
    } else {
      err.println("error: " + message);
    }
    return ERROR;
  }

  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  private record Options(
      Path transcript,
      URI vs,
      String inlineToken,
      Path tokenFile,
      Path anchors,
      boolean json,
      int pageSize) {

    static Options parse(String[] args) throws UsageException {
      if (args.length == 0 || !args[0].equals("audit")) {
        throw new UsageException("the command is audit");
      }
      Map<String, String> values = new HashMap<>();
      boolean json = false;
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--json")) {
          json = true;
        } else if (VALUED.contains(a)) {
          if (i + 1 >= args.length) {
            throw new UsageException(a + " needs a value");
          }
          if (values.put(a, args[++i]) != null) {
            throw new UsageException(a + " given twice");
          }
        } else {
          throw new UsageException("unknown argument " + a);
        }
      }
      if (values.containsKey("--token") == values.containsKey("--token-file")) {
        throw new UsageException("give --token or --token-file, one of them");
      }
      return new Options(
          Path.of(required(values, "--transcript")),
          vs(required(values, "--vs")),
          values.get("--token"),
          values.containsKey("--token-file") ? Path.of(values.get("--token-file")) : null,
          Path.of(required(values, "--trust-anchors")),
          json,
          pageSize(values.getOrDefault("--page-size", "" + VsReceiptClient.MAX_PAGE_SIZE)));
    }

    String token() throws UsageException, IOException {
      String token = inlineToken;
      if (tokenFile != null) {
        if (Files.size(tokenFile) > MAX_TOKEN_BYTES) {
          throw new UsageException(tokenFile + ": larger than a token can be");
        }
        token = Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
      }
      if (!token.matches("[A-Za-z0-9._~+/=-]+")) {
        throw new UsageException("the token is empty or not a JWT");
      }
      return token;
    }

    private static String required(Map<String, String> values, String name) throws UsageException {
      String v = values.get(name);
      if (v == null) {
        throw new UsageException(name + " is required");
      }
      return v;
    }

    private static URI vs(String value) throws UsageException {
      try {
        URI uri = new URI(value);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || uri.getHost() == null
            || uri.getQuery() != null
            || uri.getFragment() != null) {
          throw new UsageException("--vs must be http://host:port or https://host:port");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new UsageException("--vs is not a URL: " + e.getMessage());
      }
    }

    private static int pageSize(String value) throws UsageException {
      try {
        int n = Integer.parseInt(value);
        if (n >= 1 && n <= VsReceiptClient.MAX_PAGE_SIZE) {
          return n;
        }
      } catch (NumberFormatException e) {
        // Reported below.
      }
      throw new UsageException("--page-size must be 1 to " + VsReceiptClient.MAX_PAGE_SIZE);
    }
  }
}
