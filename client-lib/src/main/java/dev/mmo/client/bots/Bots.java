package dev.mmo.client.bots;

import dev.mmo.client.Disconnect;
import dev.mmo.client.MmoClient;
import dev.mmo.client.MmoListener;
import dev.mmo.client.RefusedException;
import dev.mmo.client.Session;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.TrustAnchorsFile;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.WorldSnapshot;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * N clients that connect to one game server and walk around at random inside the world's bounds,
 * printing a one-line summary every second.
 *
 * <pre>
 * Bots --gs ws://host:port/play --gs-id ID --trust-anchors FILE --clients N --seconds S
 * </pre>
 *
 * Exit status 0 when the run completed (whatever the disconnects), 2 on bad arguments or an
 * unreadable trust anchors file.
 */
public final class Bots {
  /** Inputs per second and bot: well under the GS's default rate limit. */
  static final int INPUTS_PER_SECOND = 10;

  static final int MAX_CLIENTS = 10_000;

  private final Options options;
  private final PrintStream out;

  /** Set once the run is over: the bots' own closes are not kicks. */
  private volatile boolean finishing;

  private final Stats stats = new Stats();
  private final SecureRandom random = new SecureRandom();

  Bots(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** What the command line says. */
  record Options(URI gs, GsId gsId, Path trustAnchors, int clients, int seconds) {
    static Options parse(String[] args) {
      Map<String, String> values = new TreeMap<>();
      for (int i = 0; i < args.length; i += 2) {
        if (!args[i].startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException("expected --name value, got " + args[i]);
        }
        values.put(args[i].substring(2), args[i + 1]);
      }
      for (String required : List.of("gs", "gs-id", "trust-anchors", "clients", "seconds")) {
        if (!values.containsKey(required)) {
          throw new IllegalArgumentException("missing --" + required);
        }
      }
      if (values.size() != 5) {
        throw new IllegalArgumentException("unknown options in " + values.keySet());
      }
      int clients = Integer.parseInt(values.get("clients"));
      int seconds = Integer.parseInt(values.get("seconds"));
      if (clients < 1 || clients > MAX_CLIENTS) {
        throw new IllegalArgumentException("--clients must be 1.." + MAX_CLIENTS);
      }
      if (seconds < 1) {
        throw new IllegalArgumentException("--seconds must be at least 1");
      }
      return new Options(
          URI.create(values.get("gs")),
          new GsId(values.get("gs-id")),
          Path.of(values.get("trust-anchors")),
          clients,
          seconds);
    }
  }

  /** Counters shared by every bot. */
  static final class Stats {
    final AtomicInteger connected = new AtomicInteger();
    final LongAdder inputs = new LongAdder();
    final LongAdder snapshots = new LongAdder();
    final LongAdder receipts = new LongAdder();
    final Map<String, AtomicLong> disconnects = new ConcurrentHashMap<>();

    void disconnected(Disconnect d) {
      String name = Reason.nameOf(d.code());
      disconnects.computeIfAbsent(d.origin() + "/" + name, k -> new AtomicLong()).incrementAndGet();
    }

    String line(long second) {
      return String.format(
          "t=%ds connected=%d inputs=%d snapshots=%d receipts=%d disconnects=%s",
          second,
          connected.get(),
          inputs.sum(),
          snapshots.sum(),
          receipts.sum(),
          new TreeMap<>(disconnects));
    }
  }

  /** One bot: its session and where it last saw itself. */
  private final class Bot implements MmoListener {
    private final Ed25519KeyPair key = Ed25519KeyPair.generate(random);
    private final Random walk = new Random(random.nextLong());
    private volatile Session session;
    private volatile Vec2 position;
    private Vec2 heading = Vec2.ZERO;

    @Override
    public void onSnapshot(Session s, WorldSnapshot snapshot) {
      stats.snapshots.increment();
      for (PlayerPosition p : snapshot.positions()) {
        if (p.player().equals(key.publicKey())) {
          position = p.position();
        }
      }
    }

    @Override
    public void onReceipt(Session s, ProtectedReceipt receipt) {
      stats.receipts.increment();
    }

    @Override
    public void onDisconnect(Session s, Disconnect disconnect) {
      stats.connected.decrementAndGet();
      stats.disconnected(disconnect);
      if (finishing) {
        return;
      }
      // One line per client out, with the wall-clock time: the demo measures kick times with it.
      out.println(
          "kicked at "
              + System.currentTimeMillis()
              + " ms: "
              + disconnect.origin()
              + "/"
              + Reason.nameOf(disconnect.code()));
    }

    void step() {
      Session s = session;
      if (s == null || !s.isOpen()) {
        return;
      }
      GameRules rules = s.rules();
      int step = Math.max(1, rules.maxSpeed() / INPUTS_PER_SECOND);
      if (walk.nextInt(10) == 0 || heading.equals(Vec2.ZERO)) {
        heading = new Vec2(walk.nextInt(2 * step + 1) - step, walk.nextInt(2 * step + 1) - step);
      }
      heading = awayFromEdges(rules.bounds(), position, heading, step);
      if (s.move(heading, 0)) {
        stats.inputs.increment();
      }
    }
  }

  /** Turns a heading that would leave the bounds (within one step) back towards the inside. */
  static Vec2 awayFromEdges(Bounds b, Vec2 at, Vec2 heading, int step) {
    if (at == null) {
      return heading;
    }
    int x = heading.x();
    int y = heading.y();
    if ((long) at.x() - step <= b.minX()) {
      x = Math.abs(x);
    } else if ((long) at.x() + step >= b.maxX()) {
      x = -Math.abs(x);
    }
    if ((long) at.y() - step <= b.minY()) {
      y = Math.abs(y);
    } else if ((long) at.y() + step >= b.maxY()) {
      y = -Math.abs(y);
    }
    return new Vec2(x, y);
  }

  void run() throws IOException, InterruptedException {
    TrustAnchors anchors = TrustAnchorsFile.read(options.trustAnchors());
    HttpClient http = HttpClient.newHttpClient();
    ScheduledExecutorService timers =
        Executors.newScheduledThreadPool(
            1,
            r -> {
              Thread t = new Thread(r, "mmo-bots");
              t.setDaemon(true);
              return t;
            });
    List<Bot> bots = new ArrayList<>();
    for (int i = 0; i < options.clients(); i++) {
      Bot bot = new Bot();
      bots.add(bot);
      MmoClient client =
          MmoClient.builder()
              .trustAnchors(anchors)
              .clientKey(bot.key)
              .gameServer(options.gsId(), options.gs())
              .listener(bot)
              .httpClient(http)
              .build();
      client
          .connect()
          .whenComplete(
              (session, error) -> {
                if (error != null) {
                  Throwable cause = error.getCause() != null ? error.getCause() : error;
                  if (cause instanceof RefusedException) {
                    stats.disconnected(((RefusedException) cause).disconnect());
                  } else {
                    stats
                        .disconnects
                        .computeIfAbsent("ERROR/" + cause, k -> new AtomicLong())
                        .incrementAndGet();
                  }
                } else {
                  stats.connected.incrementAndGet();
                  bot.session = session;
                }
              });
    }
    long periodMs = 1000 / INPUTS_PER_SECOND;
    timers.scheduleAtFixedRate(
        () -> bots.forEach(Bot::step), periodMs, periodMs, TimeUnit.MILLISECONDS);
    for (int second = 1; second <= options.seconds(); second++) {
      Thread.sleep(1000);
      out.println(stats.line(second));
    }
    timers.shutdownNow();
    finishing = true;
    for (Bot bot : bots) {
      Session s = bot.session;
      if (s != null) {
        s.close();
      }
    }
    out.println("done: " + stats.line(options.seconds()));
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the bots as the command line says.
   *
   * @return the exit status: 0 when the run completed, 2 on bad arguments or trust anchors
   */
  public static int run(String[] args, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(
          "usage: Bots --gs ws://host:port/play --gs-id ID --trust-anchors FILE"
              + " --clients N --seconds S");
      return 2;
    }
    try {
      new Bots(options, out).run();
    } catch (IOException e) {
      err.println(e.getMessage());
      return 2;
    }
    return 0;
  }
}
