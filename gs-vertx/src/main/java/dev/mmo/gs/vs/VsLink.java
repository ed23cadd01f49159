package dev.mmo.gs.vs;

import static java.util.Objects.requireNonNull;

import dev.mmo.gs.identity.GsIdentity;
import dev.mmo.protocol.Limits;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.chain.TicketChainVerifier;
import dev.mmo.protocol.chain.TicketFreshness;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.Heartbeat;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.JoinNonce;
import dev.mmo.protocol.wire.JoinRequest;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.ResumeRequest;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.wire.VsStatement;
import dev.mmo.protocol.world.PlayerPosition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The GS's link to the VS {@code /gs} endpoint (docs/protocol.md sections 8 and 9).
 *
 * <p>It joins with a JoinRequest signed by the long-term key and a fresh session key, checks the
 * JoinAccept (8.2), then every heartbeat interval sends a Heartbeat and, when the match has
 * completed a tick since the last one, a TranscriptDigest. It verifies every PlayTicket (VsProof,
 * session, chain), ProtectedReceipt (VsProof, session, a digest it sent) and Revoke (VsProof,
 * session) before anything else sees it; a frame that fails a check breaks the connection (closed
 * with {@code 4000 + reason}), and the link resumes the session on a new one (8.3) after a capped,
 * doubling delay. A resume refused for good, or a chain the re-sent tickets cannot continue, loses
 * the session ({@link BlessingListener#onSessionLost}); a Revoke ends it. Either way the link then
 * stops: a GS never joins a second session in one run.
 *
 * <p>Everything happens on one Vert.x context (the one {@link #start} is called from, or a new
 * event-loop context when called off Vert.x); the {@link Blessing} accessors may be read from any
 * thread.
 */
public final class VsLink implements Blessing {
  private static final System.Logger LOG = System.getLogger(VsLink.class.getName());

  /**
   * The shortest attestation round: a Heartbeat and a digest per round must stay well under the
   * VS's per-connection frame rate (20 a second by default).
   */
  static final long MIN_ROUND_MS = 100;

  private static final short NORMAL_CLOSE = 1000;

  private enum State {
    IDLE,
    CONNECTING,
    JOINING,
    RESUMING,
    BOUND,
    ENDED
  }

  private record PendingJoin(Ed25519KeyPair sessionKey, Hash requestHash) {}

  private final Vertx vertx;
  private final VsLinkSettings settings;
  private final GsIdentity identity;
  private final VsProofVerifier proofs;
  private final Clock clock;
  private final SecureRandom random;
  private final LinkMetrics metrics;
  private final Backoff backoff;
  private final SentDigests sentDigests;
  private final List<BlessingListener> listeners = new CopyOnWriteArrayList<>();

  // Published to other threads; each value is immutable.
  private volatile Attested<JoinAccept> accept;
  private volatile Ed25519KeyPair sessionKey;
  private volatile List<Attested<PlayTicket>> tickets = List.of();
  private volatile State state = State.IDLE;

  // Link context only.
  private Context context;
  private WebSocketClient client;
  private TranscriptSource transcript;
  private WebSocket socket;
  private PendingJoin pendingJoin;
  private TicketChainVerifier chain;
  private boolean resending;
  private long gsCounter;
  private long lastDigestTick;
  private long bindTimer = -1;
  private long roundTimer = -1;
  private long reconnectTimer = -1;
  private boolean stopped;

  public VsLink(
      Vertx vertx,
      VsLinkSettings settings,
      GsIdentity identity,
      TrustAnchors trustAnchors,
      MeterRegistry registry,
      Clock clock,
      SecureRandom random) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.settings = requireNonNull(settings, "settings");
    this.identity = requireNonNull(identity, "identity");
    this.proofs = new VsProofVerifier(requireNonNull(trustAnchors, "trustAnchors"));
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
    this.metrics = new LinkMetrics(requireNonNull(registry, "registry"));
    this.backoff =
        new Backoff(settings.reconnectMin().toMillis(), settings.reconnectMax().toMillis(), random);
    this.sentDigests = new SentDigests(settings.maxOutstandingDigests());
    Gauge.builder("mmo.gs.link.blessed", this, link -> link.blessed() ? 1 : 0)
        .description("1 while the session is blessed and a fresh ticket is held")
        .register(registry);
  }

  /**
   * Starts joining; the returned future completes once the first connection attempt is under way
   * (the join itself may take many attempts: watch {@link #blessed()} or the listeners).
   *
   * @param transcript the match's state for heartbeats and digests
   */
  public Future<Void> start(TranscriptSource transcript) {
    requireNonNull(transcript, "transcript");
    Context ctx = vertx.getOrCreateContext();
    Promise<Void> started = Promise.promise();
    ctx.runOnContext(
        v -> {
          if (context != null) {
            started.fail(new IllegalStateException("already started"));
            return;
          }
          context = ctx;
          this.transcript = transcript;
          client =
              vertx.createWebSocketClient(
                  new WebSocketClientOptions()
                      .setMaxFrameSize(Limits.MAX_FRAME_BYTES)
                      .setMaxMessageSize(Limits.MAX_FRAME_BYTES)
                      .setConnectTimeout((int) settings.bindTimeout().toMillis()));
          connect();
          started.complete();
        });
    return started.future();
  }

  /** Closes the connection and stops reconnecting; the session is left to expire at the VS. */
  public Future<Void> stop() {
    if (context == null) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          stopped = true;
          cancelTimers();
          vertx.cancelTimer(reconnectTimer);
          WebSocket ws = socket;
          socket = null;
          Future<Void> closing = ws == null ? Future.succeededFuture() : ws.close(NORMAL_CLOSE);
          closing.eventually(() -> client.close()).onComplete(ar -> done.complete());
        });
    return done.future();
  }

  /**
   * True while the session is blessed: joined, not revoked or lost, and the newest ticket is valid
   * now on the GS clock within the ticket skew (7.1). Thread-safe.
   */
  public boolean blessed() {
    List<Attested<PlayTicket>> held = tickets;
    if (state == State.ENDED || accept == null || held.isEmpty()) {
      return false;
    }
    try {
      TicketFreshness.check(
          held.get(held.size() - 1).statement(), clock.millis(), settings.ticketSkew().toMillis());
      return true;
    } catch (Rejection r) {
      return false;
    }
  }

  @Override
  public Optional<Attested<JoinAccept>> joinAccept() {
    return Optional.ofNullable(accept);
  }

  @Override
  public List<Attested<PlayTicket>> tickets() {
    return tickets;
  }

  @Override
  public Optional<Ed25519KeyPair> sessionKey() {
    return Optional.ofNullable(sessionKey);
  }

  @Override
  public void addListener(BlessingListener listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  // ---- connection life cycle (link context) ----

  private void connect() {
    if (stopped || state == State.ENDED) {
      return;
    }
    state = State.CONNECTING;
    URI url = settings.vsUrl();
    boolean tls = "wss".equals(url.getScheme());
    int port = url.getPort() != -1 ? url.getPort() : tls ? 443 : 80;
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path = path + "?" + url.getRawQuery();
    }
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(url.getHost())
            .setPort(port)
            .setURI(path)
            .setSsl(tls)
            .setConnectTimeout(settings.bindTimeout().toMillis());
    client
        .connect(options)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                opened(ar.result());
              } else {
                LOG.log(Level.INFO, "VS unreachable: {0}", ar.cause().toString());
                reconnectLater();
              }
            });
  }

  private void opened(WebSocket ws) {
    if (stopped || state == State.ENDED) {
      ws.close(NORMAL_CLOSE);
      return;
    }
    socket = ws;
    ws.binaryMessageHandler(buffer -> received(ws, buffer));
    ws.textMessageHandler(text -> broken(ws, new Rejection(Reason.MALFORMED, "text frame")));
    ws.exceptionHandler(e -> LOG.log(Level.DEBUG, "VS connection error: {0}", e.toString()));
    ws.closeHandler(v -> closed(ws));
    bindTimer =
        vertx.setTimer(
            settings.bindTimeout().toMillis(),
            id -> {
              if (socket == ws && state != State.BOUND) {
                LOG.log(Level.WARNING, "no answer from the VS in time, reconnecting");
                drop(ws, NORMAL_CLOSE, "bind timeout");
              }
            });
    if (accept == null) {
      sendJoin(ws);
    } else {
      sendResume(ws);
    }
  }

  private void sendJoin(WebSocket ws) {
    Ed25519KeyPair key = Ed25519KeyPair.generate(random);
    JoinRequest request =
        new JoinRequest(
            identity.gsId(),
            key.publicKey(),
            identity.swHash(),
            clock.millis(),
            JoinNonce.random(random));
    byte[] frame = Codec.encode(Signed.sign(request, identity.longTermKey()));
    pendingJoin = new PendingJoin(key, Hashes.frameHash(frame));
    state = State.JOINING;
    metrics.joins.increment();
    ws.writeBinaryMessage(Buffer.buffer(frame));
  }

  private void sendResume(WebSocket ws) {
    ResumeRequest request =
        new ResumeRequest(accept.statement().sessionId(), ++gsCounter, clock.millis());
    state = State.RESUMING;
    resending = true;
    metrics.resumes.increment();
    ws.writeBinaryMessage(Buffer.buffer(Codec.encode(Signed.sign(request, sessionKey))));
  }

  private void bound(WebSocket ws) {
    state = State.BOUND;
    vertx.cancelTimer(bindTimer);
    backoff.reset();
    long interval = Math.max(MIN_ROUND_MS, accept.statement().heartbeatIntervalMs());
    // The first round waits one interval: the VS binds the connection only after it sent the
    // JoinAccept, and a frame before that would be refused.
    roundTimer = vertx.setPeriodic(interval, interval, id -> attestationRound(ws));
  }

  private void closed(WebSocket ws) {
    if (ws != socket) {
      return;
    }
    socket = null;
    cancelTimers();
    if (stopped || state == State.ENDED) {
      return;
    }
    Short status = ws.closeStatusCode();
    Reason reason = status == null ? null : Reason.fromCloseCode(status);
    if (state == State.RESUMING
        && (reason == Reason.SESSION_UNKNOWN || reason == Reason.SESSION_REVOKED)) {
      sessionLost("the VS refused the resume: " + reason);
      return;
    }
    if (state == State.JOINING && reason == Reason.SERVICE_UNAVAILABLE) {
      long delay = backoff.next(settings.busyRetry().toMillis());
      metrics.busyRefusals.increment();
      LOG.log(
          Level.WARNING,
          "the VS is at capacity and refused the join ({0}); joining again in {1} ms",
          ws.closeReason(),
          delay);
      reconnectAfter(delay);
      return;
    }
    LOG.log(
        Level.INFO,
        "VS connection closed in state {0} with {1} {2}",
        state,
        status,
        ws.closeReason());
    reconnectLater();
  }

  /** Gives up {@code ws} at once (its close handshake may take a while) and reconnects. */
  private void drop(WebSocket ws, short status, String why) {
    if (ws != socket) {
      return;
    }
    socket = null;
    cancelTimers();
    ws.close(status, why);
    reconnectLater();
  }

  private void reconnectLater() {
    reconnectAfter(backoff.next());
  }

  private void reconnectAfter(long delayMs) {
    if (stopped || state == State.ENDED) {
      return;
    }
    state = State.IDLE;
    metrics.reconnects.increment();
    reconnectTimer = vertx.setTimer(delayMs, id -> connect());
  }

  private void cancelTimers() {
    vertx.cancelTimer(bindTimer);
    vertx.cancelTimer(roundTimer);
    bindTimer = -1;
    roundTimer = -1;
  }

  /** A frame failed a check: nothing of it is used, and the connection is given up. */
  private void broken(WebSocket ws, Rejection rejection) {
    if (ws != socket) {
      return;
    }
    metrics.verificationFailure(rejection.reason());
    LOG.log(Level.WARNING, "VS frame refused ({0}), reconnecting", rejection.getMessage());
    drop(ws, (short) rejection.reason().closeCode(), rejection.reason().name());
  }

  private void sessionLost(String why) {
    end();
    LOG.log(Level.ERROR, "session lost: {0}", why);
    for (BlessingListener l : listeners) {
      notify(() -> l.onSessionLost(why));
    }
  }

  private void end() {
    state = State.ENDED;
    cancelTimers();
    vertx.cancelTimer(reconnectTimer);
    WebSocket ws = socket;
    socket = null;
    if (ws != null) {
      ws.close(NORMAL_CLOSE);
    }
  }

  // ---- frames from the VS (link context) ----

  private void received(WebSocket ws, Buffer buffer) {
    if (ws != socket) {
      return;
    }
    try {
      Frame frame = Codec.decode(buffer.getBytes());
      if (!(frame instanceof Attested)) {
        throw new Rejection(Reason.UNEXPECTED_TYPE, frame.type() + " from the VS");
      }
      VsStatement statement = ((Attested<?>) frame).statement();
      if (state == State.JOINING && statement instanceof JoinAccept) {
        joinAccepted(ws, attested(frame, JoinAccept.class));
      } else if (state == State.RESUMING || state == State.BOUND) {
        if (statement instanceof PlayTicket) {
          ticket(ws, attested(frame, PlayTicket.class));
        } else if (statement instanceof ProtectedReceipt) {
          receipt(attested(frame, ProtectedReceipt.class));
        } else if (statement instanceof Revoke) {
          revoke(attested(frame, Revoke.class));
        } else {
          throw new Rejection(Reason.UNEXPECTED_TYPE, frame.type() + " in state " + state);
        }
      } else {
        throw new Rejection(Reason.UNEXPECTED_TYPE, frame.type() + " in state " + state);
      }
    } catch (Rejection r) {
      broken(ws, r);
    }
  }

  private static <S extends VsStatement> Attested<S> attested(Frame frame, Class<S> type) {
    Attested<?> a = (Attested<?>) frame;
    return new Attested<>(type.cast(a.statement()), a.proof());
  }

  /** 8.2: the VsProof, then every echoed and pinned value. */
  private void joinAccepted(WebSocket ws, Attested<JoinAccept> attested) throws Rejection {
    JoinAccept a = proofs.verify(attested);
    PendingJoin join = pendingJoin;
    if (!a.joinRequestHash().equals(join.requestHash())) {
      throw new Rejection(Reason.HANDSHAKE_MISMATCH, "join_request_hash is not our request's");
    }
    if (!a.sessionKey().equals(join.sessionKey().publicKey())) {
      throw new Rejection(Reason.HANDSHAKE_MISMATCH, "session_key is not ours");
    }
    if (!a.swHash().equals(identity.swHash())) {
      throw new Rejection(Reason.HANDSHAKE_MISMATCH, "sw_hash is not ours");
    }
    if (!a.gsId().equals(identity.gsId())) {
      throw new Rejection(Reason.HANDSHAKE_MISMATCH, "gs_id is not ours");
    }
    pendingJoin = null;
    chain = new TicketChainVerifier(proofs, a, settings.ticketSkew().toMillis());
    sessionKey = join.sessionKey();
    accept = attested;
    LOG.log(Level.INFO, "joined: session {0}", a.sessionId().hex());
    bound(ws);
  }

  /**
   * 7.1 and 8.3: VsProof and session first; after a resume, tickets the link already holds are
   * skipped (and must equal the one held); every other ticket must be the next link.
   */
  private void ticket(WebSocket ws, Attested<PlayTicket> attested) throws Rejection {
    PlayTicket t = proofs.verify(attested);
    SessionId session = accept.statement().sessionId();
    if (!t.sessionId().equals(session)) {
      throw new Rejection(Reason.WRONG_SESSION, "ticket for another session");
    }
    if (state == State.RESUMING) {
      bound(ws);
    }
    long held = chain.chain().lastCounter();
    if (resending && t.counter() <= held) {
      for (Attested<PlayTicket> kept : tickets) {
        if (kept.statement().counter() == t.counter() && !kept.statement().equals(t)) {
          throw new Rejection(Reason.CHAIN_BROKEN, "a re-sent ticket differs from the one held");
        }
      }
      metrics.ticketsResent.increment();
      return;
    }
    try {
      chain.accept(attested, clock.millis());
    } catch (Rejection r) {
      if (resending && r.reason() == Reason.CHAIN_GAP) {
        // 8.3: the VS's chain ran more than K tickets ahead: this session cannot be continued.
        metrics.verificationFailure(r.reason());
        sessionLost("the re-sent tickets do not continue the chain: " + r.getMessage());
        return;
      }
      throw r;
    }
    resending = false;
    List<Attested<PlayTicket>> next = new ArrayList<>(tickets);
    next.add(attested);
    while (next.size() > KEPT_TICKETS) {
      next.remove(0);
    }
    tickets = List.copyOf(next);
    metrics.ticketsReceived.increment();
    for (BlessingListener l : listeners) {
      notify(() -> l.onTicket(attested));
    }
  }

  /** 9.3: VsProof, session, and exactly a digest this link sent. */
  private void receipt(Attested<ProtectedReceipt> attested) throws Rejection {
    ProtectedReceipt r = proofs.verify(attested);
    if (!r.sessionId().equals(accept.statement().sessionId())) {
      throw new Rejection(Reason.WRONG_SESSION, "receipt for another session");
    }
    if (!sentDigests.take(r.gsCounter(), r.receiptTip(), r.digestHash())) {
      throw new Rejection(
          Reason.HANDSHAKE_MISMATCH, "receipt for counter " + r.gsCounter() + " matches no digest");
    }
    metrics.receiptsReceived.increment();
    for (BlessingListener l : listeners) {
      notify(() -> l.onReceipt(attested));
    }
  }

  /** 9.4: VsProof and session; then the session is over. */
  private void revoke(Attested<Revoke> attested) throws Rejection {
    Revoke r = proofs.verify(attested);
    if (!r.sessionId().equals(accept.statement().sessionId())) {
      throw new Rejection(Reason.WRONG_SESSION, "revoke for another session");
    }
    LOG.log(Level.ERROR, "session revoked by the VS with reason code {0}", r.reasonCode());
    end();
    for (BlessingListener l : listeners) {
      notify(() -> l.onRevoke(attested));
    }
  }

  // ---- heartbeats and digests (link context) ----

  private void attestationRound(WebSocket ws) {
    if (ws != socket || state != State.BOUND) {
      return;
    }
    if (ws.writeQueueFull()) {
      // The VS is not reading; queueing more would grow without bound. Its silence timeout or
      // ours decides what happens to the connection.
      metrics.digestsSkipped.increment();
      return;
    }
    SessionId session = accept.statement().sessionId();
    TranscriptSource.State cut = transcript.current();
    long now = clock.millis();
    Heartbeat heartbeat =
        new Heartbeat(session, ++gsCounter, now, cut.receiptTip(), identity.swHash());
    ws.writeBinaryMessage(Buffer.buffer(Codec.encode(Signed.sign(heartbeat, sessionKey))));
    metrics.heartbeatsSent.increment();
    // The VS refuses a digest whose tick does not advance on the last one: send only new ticks.
    if (cut.tick() <= lastDigestTick) {
      return;
    }
    TranscriptDigest digest;
    try {
      List<PlayerPosition> positions = new ArrayList<>(cut.positions());
      positions.sort(Comparator.comparing(PlayerPosition::player));
      digest =
          new TranscriptDigest(
              session, gsCounter + 1, cut.tick(), now, cut.receiptTip(), positions);
    } catch (IllegalArgumentException e) {
      metrics.digestsSkipped.increment();
      LOG.log(Level.WARNING, "transcript state not encodable as a digest: {0}", e.getMessage());
      return;
    }
    gsCounter++;
    byte[] frame = Codec.encode(Signed.sign(digest, sessionKey));
    sentDigests.add(digest.gsCounter(), digest.receiptTip(), Hashes.frameHash(frame));
    lastDigestTick = cut.tick();
    ws.writeBinaryMessage(Buffer.buffer(frame));
    metrics.digestsSent.increment();
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "a blessing listener failed", e);
    }
  }
}
