package dev.mmo.gs.config;

import static java.util.Objects.requireNonNull;

import dev.mmo.gs.play.ConnectionBudget;
import dev.mmo.gs.play.PlaySettings;
import dev.mmo.protocol.Limits;
import dev.mmo.protocol.wire.GsId;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GS configuration: a properties file, each key overridable by an environment variable {@code
 * MMO_GS_<KEY>} (upper case, dots and dashes as underscores), e.g. {@code MMO_GS_VS_URL} for {@code
 * vs.url}. The environment wins over the file, the file over the defaults.
 *
 * <p>Parsing is strict: an unknown key in the file or an unknown {@code MMO_GS_*} variable, a value
 * that does not parse or is out of range, and a missing required key are errors naming the key and
 * where it came from. Durations are an integer with a unit: {@code 250ms}, {@code 2s}, {@code 15m},
 * {@code 1h}.
 */
public record GsConfig(
    GsId gsId,
    URI vsUrl,
    Path keyFile,
    boolean keyGroupReadable,
    Path trustAnchorsFile,
    String playHost,
    int playPort,
    String opsHost,
    int opsPort,
    int playMaxClients,
    int playMaxFrameBytes,
    int playInputRate,
    int playInputBurst,
    Duration playTicketSkew,
    Duration playClientSkew,
    Path transcriptDir,
    Duration vsReconnectMin,
    Duration vsReconnectMax,
    Duration vsBusyRetry,
    Duration vsBindTimeout,
    int vsMaxOutstandingDigests,
    ConnectionBudget playBudget) {

  /** The environment variable naming the properties file when {@code --config} is not given. */
  public static final String CONFIG_ENV = "MMO_GS_CONFIG";

  private static final String ENV_PREFIX = "MMO_GS_";

  /** Every key with its default; {@code null} marks a required key. */
  private static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("gs.id", null);
    d.put("vs.url", "ws://127.0.0.1:8080/gs");
    d.put("key.file", null);
    d.put("key.group-readable", "false");
    d.put("trust-anchors.file", null);
    d.put("play.host", "0.0.0.0");
    d.put("play.port", "7000");
    d.put("ops.host", "0.0.0.0");
    d.put("ops.port", "7001");
    d.put("play.max-clients", "256");
    d.put("play.max-frame-bytes", Integer.toString(PlaySettings.DEFAULT_MAX_FRAME_BYTES));
    d.put("play.input-rate", Integer.toString(PlaySettings.DEFAULT_INPUT_RATE));
    d.put("play.input-burst", Integer.toString(PlaySettings.DEFAULT_INPUT_BURST));
    d.put("play.ticket-skew", "2s");
    d.put("play.client-skew", "15m");
    d.put("play.upgrade-timeout", "5s");
    d.put("play.hello-timeout", "10s");
    d.put(
        "play.max-connections-per-source",
        Integer.toString(ConnectionBudget.DEFAULT_MAX_CONNECTIONS_PER_SOURCE));
    d.put(
        "play.source-connections-per-minute",
        Integer.toString(ConnectionBudget.DEFAULT_SOURCE_CONNECTIONS_PER_MINUTE));
    d.put(
        "play.source-connection-burst",
        Integer.toString(ConnectionBudget.DEFAULT_SOURCE_CONNECTION_BURST));
    d.put("transcript.dir", "./transcripts");
    d.put("vs.reconnect-min", "250ms");
    d.put("vs.reconnect-max", "2s");
    d.put("vs.busy-retry", "10s");
    d.put("vs.bind-timeout", "10s");
    d.put("vs.max-outstanding-digests", "64");
    return Collections.unmodifiableMap(d);
  }

  public GsConfig {
    requireNonNull(gsId, "gsId");
    requireNonNull(vsUrl, "vsUrl");
    requireNonNull(keyFile, "keyFile");
    requireNonNull(trustAnchorsFile, "trustAnchorsFile");
    requireNonNull(playHost, "playHost");
    requireNonNull(playBudget, "playBudget");
    requireNonNull(opsHost, "opsHost");
    requireNonNull(playTicketSkew, "playTicketSkew");
    requireNonNull(playClientSkew, "playClientSkew");
    requireNonNull(transcriptDir, "transcriptDir");
    requireNonNull(vsReconnectMin, "vsReconnectMin");
    requireNonNull(vsReconnectMax, "vsReconnectMax");
    requireNonNull(vsBusyRetry, "vsBusyRetry");
    requireNonNull(vsBindTimeout, "vsBindTimeout");
  }

  /** Every key this configuration knows, in documentation order. */
  public static List<String> keys() {
    return List.copyOf(DEFAULTS.keySet());
  }

  /** The environment variable that overrides {@code key}. */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * Loads the configuration.
   *
   * @param file the properties file, or empty for defaults and the environment only
   * @param env the environment (System.getenv() in production)
   */
  public static GsConfig load(Optional<Path> file, Map<String, String> env) throws ConfigException {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> sources = new TreeMap<>();
    if (file.isPresent()) {
      Properties properties = readFile(file.get());
      for (String key : properties.stringPropertyNames()) {
        if (!DEFAULTS.containsKey(key)) {
          throw new ConfigException(file.get() + ": unknown key '" + key + "'");
        }
        values.put(key, properties.getProperty(key).strip());
        sources.put(key, file.get().toString());
      }
    }
    Map<String, String> byEnvName = new TreeMap<>();
    for (String key : DEFAULTS.keySet()) {
      byEnvName.put(envName(key), key);
    }
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ENV_PREFIX) || name.equals(CONFIG_ENV)) {
        continue;
      }
      String key = byEnvName.get(name);
      if (key == null) {
        throw new ConfigException("environment: unknown variable " + name);
      }
      values.put(key, e.getValue().strip());
      sources.put(key, "environment " + name);
    }
    return new Parser(values, sources).parse();
  }

  private static Properties readFile(Path file) throws ConfigException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(file + ": cannot be read: " + e.getMessage());
    }
    return properties;
  }

  /** Reads typed values with errors that say which key, from which source, is wrong. */
  private static final class Parser {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    private final Map<String, String> values;
    private final Map<String, String> sources;
    private final List<String> errors = new ArrayList<>();

    Parser(Map<String, String> values, Map<String, String> sources) {
      this.values = values;
      this.sources = sources;
    }

    GsConfig parse() throws ConfigException {
      GsId gsId = gsId("gs.id");
      URI vsUrl = wsUri("vs.url");
      Path keyFile = path("key.file");
      boolean groupReadable = bool("key.group-readable");
      Path anchors = path("trust-anchors.file");
      String playHost = text("play.host");
      int playPort = integer("play.port", 0, 65535);
      String opsHost = text("ops.host");
      int opsPort = integer("ops.port", 0, 65535);
      int maxClients = integer("play.max-clients", 1, 1_000_000);
      int maxFrame = integer("play.max-frame-bytes", 256, Limits.MAX_FRAME_BYTES);
      int rate = integer("play.input-rate", 1, 10_000);
      int burst = integer("play.input-burst", 1, 100_000);
      Duration ticketSkew = duration("play.ticket-skew", Duration.ZERO, Duration.ofMinutes(1));
      Duration clientSkew = duration("play.client-skew", Duration.ZERO, Duration.ofHours(24));
      Duration upgradeTimeout =
          duration("play.upgrade-timeout", Duration.ofMillis(1), Duration.ofMinutes(10));
      Duration helloTimeout =
          duration("play.hello-timeout", Duration.ofMillis(1), Duration.ofMinutes(10));
      int perSource = integer("play.max-connections-per-source", 1, 1_000_000);
      int perMinute = integer("play.source-connections-per-minute", 1, 1_000_000);
      int sourceBurst = integer("play.source-connection-burst", 1, 1_000_000);
      Path transcripts = path("transcript.dir");
      Duration reconnectMin =
          duration("vs.reconnect-min", Duration.ofMillis(1), Duration.ofMinutes(10));
      Duration reconnectMax =
          duration("vs.reconnect-max", Duration.ofMillis(1), Duration.ofMinutes(10));
      Duration busyRetry = duration("vs.busy-retry", Duration.ZERO, Duration.ofMinutes(10));
      Duration bindTimeout =
          duration("vs.bind-timeout", Duration.ofMillis(1), Duration.ofMinutes(10));
      int outstanding = integer("vs.max-outstanding-digests", 1, 4096);
      if (errors.isEmpty() && burst < rate) {
        errors.add("play.input-burst (" + burst + ") must be at least play.input-rate");
      }
      if (errors.isEmpty() && reconnectMax.compareTo(reconnectMin) < 0) {
        errors.add("vs.reconnect-max must be at least vs.reconnect-min");
      }
      if (!errors.isEmpty()) {
        throw new ConfigException(String.join("; ", errors));
      }
      return new GsConfig(
          gsId,
          vsUrl,
          keyFile,
          groupReadable,
          anchors,
          playHost,
          playPort,
          opsHost,
          opsPort,
          maxClients,
          maxFrame,
          rate,
          burst,
          ticketSkew,
          clientSkew,
          transcripts,
          reconnectMin,
          reconnectMax,
          busyRetry,
          bindTimeout,
          outstanding,
          new ConnectionBudget(upgradeTimeout, helloTimeout, perSource, perMinute, sourceBurst));
    }

    private String raw(String key) {
      String value = values.containsKey(key) ? values.get(key) : DEFAULTS.get(key);
      if (value == null || value.isEmpty()) {
        errors.add(key + " is required (set it in the file or " + envName(key) + ")");
        return null;
      }
      return value;
    }

    private String where(String key) {
      return key + " (" + sources.getOrDefault(key, "default") + ")";
    }

    private boolean bool(String key) {
      String value = raw(key);
      if ("true".equals(value)) {
        return true;
      }
      if (value != null && !"false".equals(value)) {
        errors.add(where(key) + ": must be true or false, was '" + value + "'");
      }
      return false;
    }

    private String text(String key) {
      return raw(key);
    }

    private GsId gsId(String key) {
      String v = raw(key);
      if (v == null) {
        return null;
      }
      try {
        return new GsId(v);
      } catch (IllegalArgumentException e) {
        errors.add(where(key) + ": '" + v + "' is not a gs_id: " + e.getMessage());
        return null;
      }
    }

    private URI wsUri(String key) {
      String v = raw(key);
      if (v == null) {
        return null;
      }
      try {
        URI uri = new URI(v);
        if (!("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme()))
            || uri.getHost() == null) {
          errors.add(where(key) + ": '" + v + "' is not a ws:// or wss:// URL with a host");
          return null;
        }
        return uri;
      } catch (URISyntaxException e) {
        errors.add(where(key) + ": '" + v + "' is not a URL");
        return null;
      }
    }

    private Path path(String key) {
      String v = raw(key);
      return v == null ? null : Path.of(v);
    }

    private int integer(String key, int min, int max) {
      String v = raw(key);
      if (v == null) {
        return 0;
      }
      try {
        int n = Integer.parseInt(v);
        if (n < min || n > max) {
          errors.add(where(key) + ": " + n + " is outside " + min + ".." + max);
        }
        return n;
      } catch (NumberFormatException e) {
        errors.add(where(key) + ": '" + v + "' is not an integer");
        return 0;
      }
    }

    private Duration duration(String key, Duration min, Duration max) {
      String v = raw(key);
      if (v == null) {
        return Duration.ZERO;
      }
      Matcher m = DURATION.matcher(v);
      if (!m.matches()) {
        errors.add(where(key) + ": '" + v + "' is not a duration like 250ms, 2s, 15m or 1h");
        return Duration.ZERO;
      }
      long n = Long.parseLong(m.group(1));
      Duration d;
      switch (m.group(2)) {
        case "ms":
          d = Duration.ofMillis(n);
          break;
        case "s":
          d = Duration.ofSeconds(n);
          break;
        case "m":
          d = Duration.ofMinutes(n);
          break;
        default:
          d = Duration.ofHours(n);
          break;
      }
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        errors.add(where(key) + ": " + v + " is outside " + min + ".." + max);
      }
      return d;
    }
  }
}
