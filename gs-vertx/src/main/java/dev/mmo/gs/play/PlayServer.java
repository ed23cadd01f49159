package dev.mmo.gs.play;

import static java.util.Objects.requireNonNull;

import dev.mmo.gs.match.Match;
import dev.mmo.gs.vs.Blessing;
import dev.mmo.gs.vs.BlessingListener;
import dev.mmo.gs.vs.TranscriptSource;
import dev.mmo.protocol.Limits;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.chain.ReceiptTip;
import dev.mmo.protocol.chain.TicketFreshness;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ClientHello;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.ServerHello;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.WorldSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code /play} WebSocket server and the match behind it.
 *
 * <p>Threads. Connections are spread over {@link PlaySettings#eventLoops()} event loops (one
 * verticle instance each, sharing the port); each verifies its own client's frames there. The match
 * lives on one more event loop (its own verticle): it alone ticks the simulation, folds the receipt
 * tip, signs and sends snapshots, and starts and stops matches. The VS link's events arrive on the
 * link's context and are handed to the match's.
 *
 * <p>A match is one session. It starts when the blessing holds a JoinAccept, the session key and a
 * fresh ticket; it pauses while no fresh ticket is held (every client is closed with
 * NO_FRESH_TICKET and no tick runs), resumes when one arrives, and ends for good on a Revoke
 * (forwarded, clients closed with {@code 4000 + reason}) or when the link loses the session.
 */
public final class PlayServer {
  private static final Logger LOG = System.getLogger(PlayServer.class.getName());
  private static final String PATH = "/play";

  private final Vertx vertx;
  private final PlaySettings settings;
  private final Blessing blessing;
  private final Clock clock;
  private final PlayMetrics metrics;
  private final ChallengeCache challenges;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<Ed25519PublicKey, Connection> clients = new ConcurrentHashMap<>();
  private final List<String> deployments = new ArrayList<>();
  private final TranscriptSource transcript = this::currentState;
  private final PlayTransport transport;

  // Read from every thread, written on the match's context only.
  private volatile Live live;
  private volatile Match match;
  private volatile Attested<ProtectedReceipt> latestReceipt;

  // Match context only.
  private Context matchContext;
  private WorkerExecutor logWorker;
  private TranscriptWriter writer;
  private SessionId endedSession;
  private long tickTimer = -1;
  private long periodNanos;
  private long nextTickNanos;

  public PlayServer(
      Vertx vertx, PlaySettings settings, Blessing blessing, MeterRegistry registry, Clock clock) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.settings = requireNonNull(settings, "settings");
    this.blessing = requireNonNull(blessing, "blessing");
    this.clock = requireNonNull(clock, "clock");
    this.metrics = new PlayMetrics(requireNonNull(registry, "registry"));
    this.challenges =
        new ChallengeCache(
            2 * settings.clientClockSkew().toMillis(), settings.maxRememberedChallenges());
    this.transport = new PlayTransport(settings, metrics);
  }

  /** Binds {@code /play}; completes with the bound port. */
  public Future<Integer> start() {
    logWorker =
        vertx.createSharedWorkerExecutor("mmo-gs-transcript-" + System.identityHashCode(this), 1);
    MatchVerticle matchVerticle = new MatchVerticle();
    return vertx
        .deployVerticle(matchVerticle)
        .compose(
            id -> {
              deployments.add(id);
              matchContext = matchVerticle.context();
              return deployPlay();
            })
        .compose(
            port -> {
              blessing.addListener(new LinkEvents());
              LOG.log(Level.INFO, "/play listening on port {0}", String.valueOf(port));
              // Ready when it returns: a session already blessed has its match.
              Promise<Integer> ready = Promise.promise();
              matchContext.runOnContext(
                  v -> {
                    supervise();
                    ready.complete(port);
                  });
              return ready.future();
            });
  }

  /** Stops the match and the server; connected clients are disconnected. */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    Runnable undeploy =
        () -> {
          List<Future<Void>> all = new ArrayList<>();
          for (String id : deployments) {
            all.add(vertx.undeploy(id));
          }
          deployments.clear();
          Future.all(all)
              .eventually(() -> logWorker == null ? Future.succeededFuture() : logWorker.close())
              .<Void>mapEmpty()
              .onComplete(done);
        };
    if (matchContext == null) {
      undeploy.run();
    } else {
      matchContext.runOnContext(
          v -> {
            Match m = match;
            if (m != null) {
              Reason r = Reason.SERVICE_UNAVAILABLE;
              end(m, null, r.code(), r.name(), false);
            }
            Future<Void> closed = writer == null ? Future.succeededFuture() : writer.close();
            closed.onComplete(x -> undeploy.run());
          });
    }
    return done.future();
  }

  /** The transcript state for the VS link's heartbeats and digests. */
  public TranscriptSource transcript() {
    return transcript;
  }

  // ---------------------------------------------------------------------------------------------
  // The VS link's events (on the link's context)

  /** What the link tells the match; kept off PlayServer's own API. */
  private final class LinkEvents implements BlessingListener {

    @Override
    public void onTicket(Attested<PlayTicket> ticket) {
      Match m = match;
      if (m != null && ticket.statement().sessionId().equals(m.session())) {
        // The references first: a client shown this ticket may use it at once.
        m.tickets(blessing.tickets());
        Buffer frame = Buffer.buffer(Codec.encode(ticket));
        long counter = ticket.statement().counter();
        for (Connection c : clients.values()) {
          if (c.match() == m) {
            c.sendTicket(counter, frame);
          }
        }
      }
      if (matchContext != null) {
        matchContext.runOnContext(v -> supervise());
      }
    }

    @Override
    public void onReceipt(Attested<ProtectedReceipt> receipt) {
      Match m = match;
      if (m != null && receipt.statement().sessionId().equals(m.session())) {
        latestReceipt = receipt;
      }
    }

    @Override
    public void onRevoke(Attested<Revoke> revoke) {
      Buffer frame = Buffer.buffer(Codec.encode(revoke));
      int code = revoke.statement().reasonCode();
      String text = Reason.nameOf(code);
      SessionId session = revoke.statement().sessionId();
      matchContext.runOnContext(
          v -> {
            endedSession = session;
            Match m = match;
            if (m != null && m.session().equals(session)) {
              end(m, frame, code, text, true);
            }
          });
    }

    @Override
    public void onSessionLost(String why) {
      matchContext.runOnContext(
          v -> {
            Match m = match;
            if (m != null) {
              LOG.log(Level.WARNING, "session {0} lost: {1}", m.session().hex(), why);
              endedSession = m.session();
              Reason r = Reason.NO_FRESH_TICKET;
              end(m, null, r.code(), r.name(), true);
            }
          });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The match (on the match's context)

  /**
   * Starts a match for the blessed session, or resumes a paused one, when a fresh ticket is held.
   */
  private void supervise() {
    Optional<Attested<JoinAccept>> accept = blessing.joinAccept();
    Optional<Ed25519KeyPair> key = blessing.sessionKey();
    if (accept.isEmpty() || key.isEmpty()) {
      return;
    }
    SessionId session = accept.get().statement().sessionId();
    if (session.equals(endedSession)) {
      return;
    }
    Match m = match;
    if (m != null && !m.session().equals(session)) {
      // The link joined a new session: the old one's clients hold tickets of a dead chain.
      Reason r = Reason.NO_FRESH_TICKET;
      end(m, null, r.code(), r.name(), true);
      m = null;
    }
    if (!freshTicket(session)) {
      return;
    }
    if (m == null) {
      m = begin(accept.get());
    }
    if (live == null) {
      m.tickets(blessing.tickets());
      live = new Live(m, key.get(), blessing);
    }
  }

  private Match begin(Attested<JoinAccept> accept) {
    long seed = random.nextLong();
    int capacity =
        (int) Math.min(1 << 20, (long) settings.maxClients() * (settings.inputBurst() + 1));
    Match m = new Match(accept, seed, capacity);
    match = m;
    latestReceipt = null;
    writer = new TranscriptWriter(logWorker);
    writer
        .open(settings.transcriptDir(), accept, seed)
        .onSuccess(file -> LOG.log(Level.INFO, "transcript of {0}: {1}", m.session().hex(), file));
    periodNanos = 1_000_000_000L / accept.statement().rules().tickRateHz();
    nextTickNanos = System.nanoTime() + periodNanos;
    scheduleTick();
    return m;
  }

  private void scheduleTick() {
    long delayMs = Math.max(1, (nextTickNanos - System.nanoTime() + 999_999) / 1_000_000);
    tickTimer = vertx.setTimer(delayMs, id -> onTickTimer());
  }

  private void onTickTimer() {
    Match m = match;
    if (m == null) {
      return;
    }
    if (!freshTicket(m.session())) {
      if (live != null) {
        live = null;
        Reason r = Reason.NO_FRESH_TICKET;
        closeClients(m, null, r.code(), r.name());
      }
    } else if (live == null) {
      supervise();
    }
    if (live != null) {
      tick(m);
    }
    if (match == m) {
      long now = System.nanoTime();
      nextTickNanos += periodNanos;
      if (nextTickNanos < now - 5 * periodNanos) {
        // After a long pause, do not run the missed ticks in a burst.
        nextTickNanos = now;
      }
      scheduleTick();
    }
  }

  private void tick(Match m) {
    long start = System.nanoTime();
    Match.TickResult result = m.tick();
    if (!result.batch().isEmpty()) {
      writer.write(result.batch());
    }
    if (!writer.healthy()) {
      LOG.log(Level.ERROR, "stopping the match: {0}", writer.failure());
      Reason r = Reason.INTERNAL_ERROR;
      end(m, null, r.code(), r.name(), true);
      return;
    }
    WorldSnapshot snapshot =
        new WorldSnapshot(
            m.session(),
            result.state().tick(),
            result.state().positions(),
            Optional.ofNullable(latestReceipt));
    Buffer frame = Buffer.buffer(Codec.encode(Signed.sign(snapshot, live.sessionKey())));
    for (Connection c : clients.values()) {
      if (c.match() == m) {
        c.sendDroppable(frame);
      }
    }
    metrics.tick(System.nanoTime() - start);
  }

  private void end(Match m, Buffer last, int code, String reason, boolean closeTranscript) {
    live = null;
    if (match == m) {
      match = null;
    }
    if (tickTimer >= 0) {
      vertx.cancelTimer(tickTimer);
      tickTimer = -1;
    }
    closeClients(m, last, code, reason);
    if (writer != null && closeTranscript) {
      writer.close();
      writer = null;
    }
  }

  private void closeClients(Match m, Buffer last, int code, String reason) {
    for (Connection c : clients.values()) {
      if (c.match() == m) {
        c.close(last, code, reason);
      }
    }
  }

  private boolean freshTicket(SessionId session) {
    List<Attested<PlayTicket>> tickets = blessing.tickets();
    if (tickets.isEmpty()) {
      return false;
    }
    PlayTicket newest = tickets.get(tickets.size() - 1).statement();
    if (!newest.sessionId().equals(session)) {
      return false;
    }
    try {
      TicketFreshness.check(newest, clock.millis(), settings.ticketSkew().toMillis());
      return true;
    } catch (Rejection e) {
      return false;
    }
  }

  private TranscriptSource.State currentState() {
    Match m = match;
    return m == null ? new TranscriptSource.State(0, ReceiptTip.GENESIS, List.of()) : m.state();
  }

  // ---------------------------------------------------------------------------------------------
  // For the connections (any event loop)

  PlaySettings settings() {
    return settings;
  }

  Clock clock() {
    return clock;
  }

  PlayMetrics metrics() {
    return metrics;
  }

  ChallengeCache challenges() {
    return challenges;
  }

  /** The running match when a fresh ticket is held now, else null. */
  Live blessedNow() {
    Live l = live;
    return l != null && freshTicket(l.match().session()) ? l : null;
  }

  boolean hasRoomFor(Ed25519PublicKey key) {
    return clients.containsKey(key) || clients.size() < settings.maxClients();
  }

  /**
   * Registers {@code connection} as {@code key}'s one connection.
   *
   * @return the connection it replaces, or null
   * @throws Rejection TOO_MANY_CLIENTS when the GS is full
   */
  synchronized Connection admit(Ed25519PublicKey key, Connection connection) throws Rejection {
    Connection old = clients.get(key);
    if (old == null && clients.size() >= settings.maxClients()) {
      throw new Rejection(Reason.TOO_MANY_CLIENTS, "full");
    }
    clients.put(key, connection);
    if (old == null) {
      metrics.connected(1);
    }
    return old;
  }

  synchronized void release(Ed25519PublicKey key, Connection connection) {
    if (clients.remove(key, connection)) {
      metrics.connected(-1);
    }
  }

  /** A running match with the key that signs for it. */
  record Live(Match match, Ed25519KeyPair sessionKey, Blessing blessing) {
    /**
     * The ServerHello for {@code hello}: the JoinAccept, the newest tickets, the signature; with
     * the counter of the newest ticket it shows, so that ticket is not forwarded again.
     */
    Hello serverHello(ClientHello hello) {
      List<Attested<PlayTicket>> tickets = blessing.tickets();
      int from = Math.max(0, tickets.size() - Limits.MAX_HELLO_TICKETS);
      ServerHello body =
          new ServerHello(
              hello.clientKey(),
              hello.challenge(),
              match.joinAccept(),
              tickets.subList(from, tickets.size()));
      long newest = tickets.isEmpty() ? 0 : tickets.get(tickets.size() - 1).statement().counter();
      return new Hello(Codec.encode(Signed.sign(body, sessionKey)), newest);
    }
  }

  /** A signed ServerHello frame and the counter of the newest ticket in it. */
  record Hello(byte[] frame, long newestTicket) {}

  /** Gives the match its own event loop. */
  private static final class MatchVerticle extends VerticleBase {
    Context context() {
      return context;
    }
  }

  /** One event loop's share of the connections. */
  private final class PlayVerticle extends VerticleBase {
    private final int port;
    private final Promise<Integer> bound;

    PlayVerticle(int port, Promise<Integer> bound) {
      this.port = port;
      this.bound = bound;
    }

    @Override
    public Future<?> start() {
      HttpServerOptions options = PlayTransport.options(settings.host(), port);
      HttpServer server =
          vertx
              .createHttpServer(options)
              .connectionHandler(transport::accepted)
              .webSocketHandshakeHandler(
                  hs -> {
                    if (PATH.equals(hs.path())) {
                      hs.accept();
                    } else {
                      hs.reject(404);
                    }
                  })
              .webSocketHandler(ws -> new Connection(PlayServer.this, ws, context))
              .requestHandler(
                  req ->
                      req.response()
                          .setStatusCode(404)
                          .putHeader("connection", "close")
                          .end()
                          .onComplete(x -> req.connection().close()));
      return server.listen().onSuccess(s -> bound.complete(s.actualPort()));
    }
  }

  /**
   * Deploys one {@link PlayVerticle} per connection event loop in one deployment, so that they
   * share one port even when it is chosen at random (port 0).
   */
  private Future<Integer> deployPlay() {
    List<Promise<Integer>> bound = new ArrayList<>();
    return vertx
        .deployVerticle(
            () -> {
              Promise<Integer> p = Promise.promise();
              synchronized (bound) {
                bound.add(p);
              }
              return new PlayVerticle(settings.port(), p);
            },
            new DeploymentOptions().setInstances(settings.eventLoops()))
        .compose(
            id -> {
              deployments.add(id);
              synchronized (bound) {
                return bound.get(0).future();
              }
            });
  }
}
