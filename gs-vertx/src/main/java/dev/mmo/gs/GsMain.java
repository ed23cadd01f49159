package dev.mmo.gs;

import dev.mmo.gs.config.ConfigException;
import dev.mmo.gs.config.GsConfig;
import dev.mmo.gs.identity.GsIdentity;
import dev.mmo.gs.identity.InvalidKeyFileException;
import dev.mmo.gs.identity.KeyFile;
import dev.mmo.gs.identity.SwHash;
import dev.mmo.gs.ops.OpsServer;
import dev.mmo.gs.play.PlayServer;
import dev.mmo.gs.play.PlaySettings;
import dev.mmo.gs.vs.BlessingListener;
import dev.mmo.gs.vs.TranscriptSource;
import dev.mmo.gs.vs.VsLink;
import dev.mmo.gs.vs.VsLinkSettings;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.TrustAnchorsFile;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The game server's command line: {@code run [--config FILE]}, {@code keygen [--out FILE] [--gs-id
 * ID]} and {@code print-sw-hash}.
 */
public final class GsMain {
  /** Exit status for bad usage or configuration. */
  static final int EXIT_USAGE = 2;

  /** Exit status when the session was revoked or lost: the supervisor restarts the GS. */
  static final int EXIT_SESSION_ENDED = 3;

  private static final String DEFAULT_KEY_FILE = "gs-key.pem";

  private GsMain() {}

  public static void main(String[] args) {
    int status = run(args, System.getenv(), System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs one command; returns the exit status (0 for {@code run} once the GS is up). */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(args, env, out, err, UnaryOperator.identity());
  }

  /**
   * Runs one command, the VS link reporting {@code reported} applied to the match's transcript: the
   * seam a demonstration of a lying host uses (mmo's own GS passes it through unchanged). Whatever
   * it reports is signed with the session key, so the VS holds the host to it.
   */
  public static int run(
      String[] args,
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      UnaryOperator<TranscriptSource> reported) {
    if (args.length == 0) {
      usage(err);
      return EXIT_USAGE;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      switch (args[0]) {
        case "keygen":
          return keygen(rest, out, err);
        case "print-sw-hash":
          if (!rest.isEmpty()) {
            usage(err);
            return EXIT_USAGE;
          }
          out.println(SwHash.ofCodeOf(GsMain.class).hex());
          return 0;
        case "run":
          return serve(rest, env, err, reported);
        default:
          usage(err);
          return EXIT_USAGE;
      }
    } catch (ConfigException | InvalidKeyFileException e) {
      err.println("error: " + e.getMessage());
      return EXIT_USAGE;
    } catch (IOException e) {
      err.println("error: " + e);
      return 1;
    }
  }

  private static void usage(PrintStream err) {
    err.println("usage: java -jar gs-vertx.jar run [--config FILE]");
    err.println("       java -jar gs-vertx.jar keygen [--out FILE] [--gs-id ID]");
    err.println("       java -jar gs-vertx.jar print-sw-hash");
  }

  /** Parses {@code --name value} pairs; an unknown or repeated option is a usage error. */
  private static Optional<Map<String, String>> options(
      List<String> args, List<String> known, PrintStream err) {
    Map<String, String> options = new java.util.LinkedHashMap<>();
    for (int i = 0; i < args.size(); i += 2) {
      String name = args.get(i);
      if (!known.contains(name) || i + 1 >= args.size() || options.containsKey(name)) {
        err.println("error: unexpected argument " + name);
        usage(err);
        return Optional.empty();
      }
      options.put(name, args.get(i + 1));
    }
    return Optional.of(options);
  }

  private static int keygen(List<String> args, PrintStream out, PrintStream err)
      throws IOException {
    Optional<Map<String, String>> options = options(args, List.of("--out", "--gs-id"), err);
    if (options.isEmpty()) {
      return EXIT_USAGE;
    }
    Path file = Path.of(options.get().getOrDefault("--out", DEFAULT_KEY_FILE));
    String gsId = options.get().get("--gs-id");
    if (gsId != null) {
      try {
        new GsId(gsId);
      } catch (IllegalArgumentException e) {
        err.println("error: --gs-id: " + e.getMessage());
        return EXIT_USAGE;
      }
    }
    Ed25519KeyPair key = Ed25519KeyPair.generate(new SecureRandom());
    try {
      KeyFile.write(file, key);
    } catch (FileAlreadyExistsException e) {
      err.println("error: " + file + " exists; it is never overwritten");
      return 1;
    }
    String publicKey = key.publicKey().hex();
    String swHash = SwHash.ofCodeOf(GsMain.class).hex();
    key.destroy();
    out.println("key file:   " + file.toAbsolutePath());
    out.println("public key: " + publicKey);
    out.println("sw_hash:    " + swHash);
    out.println("enroll with POST /api/game-servers (admin role), body:");
    out.println(
        "{\"id\":\""
            + (gsId == null ? "<gs-id>" : gsId)
            + "\",\"publicKey\":\""
            + publicKey
            + "\",\"allowedSoftware\":[\""
            + swHash
            + "\"]}");
    return 0;
  }

  private static int serve(
      List<String> args,
      Map<String, String> env,
      PrintStream err,
      UnaryOperator<TranscriptSource> reported)
      throws ConfigException, InvalidKeyFileException, IOException {
    Optional<Map<String, String>> options = options(args, List.of("--config"), err);
    if (options.isEmpty()) {
      return EXIT_USAGE;
    }
    Optional<Path> file =
        Optional.ofNullable(options.get().get("--config"))
            .or(() -> Optional.ofNullable(env.get(GsConfig.CONFIG_ENV)))
            .map(Path::of);
    GsConfig config = GsConfig.load(file, env);
    Ed25519KeyPair key = KeyFile.read(config.keyFile(), config.keyGroupReadable());
    TrustAnchors anchors;
    try {
      anchors = TrustAnchorsFile.read(config.trustAnchorsFile());
    } catch (IOException e) {
      throw new ConfigException(e.getMessage());
    }
    Hash swHash = SwHash.ofCodeOf(GsMain.class);
    GsIdentity identity = new GsIdentity(config.gsId(), key, swHash);
    err.println("gs " + config.gsId() + ", sw_hash " + swHash.hex());

    Clock clock = Clock.systemUTC();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // The process's own health next to the game's: heap and CPU under load or attack.
    new JvmMemoryMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Vertx vertx = Vertx.vertx();
    VsLink link =
        new VsLink(
            vertx,
            new VsLinkSettings(
                config.vsUrl(),
                config.playTicketSkew(),
                config.vsReconnectMin(),
                config.vsReconnectMax(),
                config.vsBusyRetry(),
                config.vsBindTimeout(),
                config.vsMaxOutstandingDigests()),
            identity,
            anchors,
            registry,
            clock,
            new SecureRandom());
    link.addListener(new ExitWhenSessionEnds());

    PlayServer play =
        new PlayServer(
            vertx,
            PlaySettings.defaults(config.gsId())
                .withHost(config.playHost())
                .withPort(config.playPort())
                .withMaxClients(config.playMaxClients())
                .withMaxFrameBytes(config.playMaxFrameBytes())
                .withInputRate(config.playInputRate(), config.playInputBurst())
                .withTranscriptDir(config.transcriptDir())
                .withTicketSkew(config.playTicketSkew())
                .withClientClockSkew(config.playClientSkew())
                .withBudget(config.playBudget()),
            link,
            registry,
            clock);

    OpsServer ops =
        new OpsServer(vertx, config.opsHost(), config.opsPort(), registry, link::blessed);
    try {
      int opsPort = ops.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      err.println("ops on port " + opsPort + ", joining " + config.vsUrl());
      // The match registers with the link before the link joins, so it sees the first ticket.
      int playPort =
          play.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      err.println("/play on port " + playPort);
      link.start(reported.apply(play.transcript()))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      err.println("error: start-up failed: " + e);
      vertx.close();
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    play.stop()
                        .eventually(link::stop)
                        .eventually(ops::stop)
                        .eventually(vertx::close)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    System.err.println("shutdown: " + e);
                  }
                },
                "gs-shutdown"));
    return 0;
  }

  /**
   * A revoked or lost session cannot be blessed again in this run: the GS exits (after the match
   * had a moment to tell its clients) and its supervisor starts a fresh one, which joins anew.
   */
  private static final class ExitWhenSessionEnds implements BlessingListener {
    @Override
    public void onTicket(Attested<PlayTicket> ticket) {}

    @Override
    public void onReceipt(Attested<ProtectedReceipt> receipt) {}

    @Override
    public void onRevoke(Attested<Revoke> revoke) {
      exitSoon("session revoked, reason code " + revoke.statement().reasonCode());
    }

    @Override
    public void onSessionLost(String why) {
      exitSoon("session lost: " + why);
    }

    private static void exitSoon(String why) {
      Thread exit =
          new Thread(
              () -> {
                System.err.println(why + "; exiting");
                try {
                  Thread.sleep(2000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                System.exit(EXIT_SESSION_ENDED);
              },
              "gs-exit");
      exit.start();
    }
  }
}
