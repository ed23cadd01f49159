package dev.mmo.client;

import static java.util.Objects.requireNonNull;

import dev.mmo.client.Disconnect.Origin;
import dev.mmo.protocol.Limits;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Challenge;
import dev.mmo.protocol.wire.ClientHello;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.VsStatement;
import dev.mmo.protocol.wire.WorldSnapshot;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.protocol.world.Vec2;
import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection to a game server: the handshake, then signed inputs out and verified events in.
 * Thread-safe: {@link #move} and {@link #close} may be called from any thread.
 *
 * <p>The session leaves on its own, with a {@link Disconnect} of origin {@link Origin#CLIENT}, on
 * the first failed check (with that check's reason), on a genuine Revoke (with its reason) and when
 * its newest ticket stops being fresh ({@code NO_FRESH_TICKET}).
 */
public final class Session {
  /** Inputs waiting for the socket; beyond this {@link #move} refuses. */
  public static final int MAX_QUEUED_INPUTS = 32;

  /** Receipts kept as evidence, newest last. */
  public static final int KEPT_RECEIPTS = 64;

  /** The starvation watchdog re-checks at least this often, so an injected clock is followed. */
  private static final long MAX_WATCHDOG_DELAY_MS = 100;

  private static final SecureRandom RANDOM = new SecureRandom();

  private enum State {
    HANDSHAKE,
    OPEN,
    CLOSED
  }

  private final MmoClient client;
  private final Challenge challenge = Challenge.random(RANDOM);
  private final CompletableFuture<Session> established = new CompletableFuture<>();
  private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
  private final ArrayDeque<ProtectedReceipt> receipts = new ArrayDeque<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

  // Guarded by this.
  private State state = State.HANDSHAKE;
  private WebSocket ws;
  private boolean sending;
  private JoinAccept accept;
  private Ed25519Verifier sessionKey;
  private TicketTracker tickets;
  private long lastNonce;
  private long lastReceiptCounter;
  private ScheduledFuture<?> watchdog;
  private Disconnect disconnect;

  Session(MmoClient client) {
    this.client = requireNonNull(client, "client");
  }

  CompletableFuture<Session> start() {
    ScheduledFuture<?> timeout =
        client
            .scheduler()
            .schedule(
                this::handshakeTimedOut,
                client.handshakeTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    established.whenComplete((s, e) -> timeout.cancel(false));
    client
        .httpClient()
        .newWebSocketBuilder()
        .connectTimeout(client.handshakeTimeout())
        .buildAsync(client.gameServerUri(), new Receiver())
        .whenComplete(
            (socket, error) -> {
              if (error != null) {
                leave(
                    Disconnect.of(
                        Origin.TRANSPORT,
                        Reason.SERVICE_UNAVAILABLE,
                        "cannot connect: " + rootMessage(error)));
              } else {
                opened(socket);
              }
            });
    return established;
  }

  private synchronized void handshakeTimedOut() {
    if (state == State.HANDSHAKE) {
      leave(Disconnect.of(Origin.TRANSPORT, Reason.SERVICE_UNAVAILABLE, "no handshake in time"));
    }
  }

  private synchronized void opened(WebSocket socket) {
    ws = socket;
    if (state == State.CLOSED) {
      socket.abort();
      return;
    }
    ClientHello hello =
        new ClientHello(
            client.clientKey().publicKey(), challenge, client.wallClock().millis(), client.gsId());
    send(Codec.encode(Signed.sign(hello, client.clientKey())));
  }

  // ---------------------------------------------------------------------------------------------
  // The API

  /**
   * Signs and sends one input: {@code move} (world units, clamped by the GS to the rules' speed)
   * and the game's {@code actions} bits, referencing the newest ticket, with the next nonce.
   *
   * @return false when nothing was sent: the session is over (or ends now because no fresh ticket
   *     is held) or {@value #MAX_QUEUED_INPUTS} inputs are already waiting for the socket
   */
  public boolean move(Vec2 move, int actions) {
    requireNonNull(move, "move");
    synchronized (this) {
      if (state != State.OPEN || !fresh() || outbox.size() >= MAX_QUEUED_INPUTS) {
        return false;
      }
      PlayTicket ticket = tickets.newest();
      ClientInput input =
          new ClientInput(
              accept.sessionId(),
              ticket.counter(),
              tickets.newestHash(),
              lastNonce + 1,
              move,
              actions);
      lastNonce++;
      send(Codec.encode(Signed.sign(input, client.clientKey())));
      return true;
    }
  }

  /** Leaves the game; {@link MmoListener#onDisconnect} reports it. */
  public void close() {
    leave(Disconnect.of(Origin.APPLICATION, Reason.SERVICE_UNAVAILABLE, "closed by the client"));
  }

  public SessionId sessionId() {
    return accept.sessionId();
  }

  /** The session's JoinAccept, verified at the handshake (rules, intervals, session key). */
  public JoinAccept joinAccept() {
    return accept;
  }

  public GameRules rules() {
    return accept.rules();
  }

  /** The newest ticket accepted, fresh or not. */
  public synchronized PlayTicket newestTicket() {
    return tickets.newest();
  }

  /** The nonce of the last input sent, 0 before the first. */
  public synchronized long lastNonce() {
    return lastNonce;
  }

  /** The newest receipts received, oldest first, at most {@value #KEPT_RECEIPTS}. */
  public synchronized List<ProtectedReceipt> receipts() {
    return Collections.unmodifiableList(new ArrayList<>(receipts));
  }

  /** Why the session ended; empty while it runs. */
  public synchronized Optional<Disconnect> disconnect() {
    return Optional.ofNullable(disconnect);
  }

  public synchronized boolean isOpen() {
    return state == State.OPEN;
  }

  // ---------------------------------------------------------------------------------------------
  // Frames in (on the socket's receiving thread)

  private synchronized void onFrame(byte[] frame) {
    try {
      if (state == State.HANDSHAKE) {
        onServerHello(frame);
      } else if (state == State.OPEN) {
        onMatchFrame(frame);
      }
    } catch (Rejection e) {
      leave(new Disconnect(Origin.CLIENT, e.reason().code(), e.getMessage()));
    }
  }

  private void onServerHello(byte[] frame) throws Rejection {
    HandshakeVerifier.Verified verified =
        client
            .handshakeVerifier()
            .verify(
                frame,
                client.clientKey().publicKey(),
                challenge,
                client.gsId(),
                client.wallClock().millis(),
                client.monotonicClock().millis());
    accept = verified.joinAccept();
    sessionKey = verified.sessionKey();
    tickets = verified.tickets();
    state = State.OPEN;
    armWatchdog();
    established.complete(this);
  }

  private void onMatchFrame(byte[] bytes) throws Rejection {
    // Nothing is trusted once the newest ticket is stale, not even a ticket arriving late.
    if (!fresh()) {
      return;
    }
    Frame frame = Codec.decode(bytes);
    VsProofVerifier proofs = client.proofs();
    switch (frame.type()) {
      case WORLD_SNAPSHOT:
        onSnapshot((Signed<?>) frame, proofs);
        break;
      case PLAY_TICKET:
        onTicket(attested(frame, PlayTicket.class));
        break;
      case PROTECTED_RECEIPT:
        onReceipt(checkedReceipt(attested(frame, ProtectedReceipt.class), proofs));
        break;
      case REVOKE:
        onRevoke(attested(frame, Revoke.class), proofs);
        break;
      default:
        throw new Rejection(Reason.UNEXPECTED_TYPE, frame.type() + " on the client socket");
    }
  }

  private void onSnapshot(Signed<?> frame, VsProofVerifier proofs) throws Rejection {
    Signed<WorldSnapshot> signed = new Signed<>((WorldSnapshot) frame.body(), frame.signature());
    signed.verify(sessionKey);
    WorldSnapshot snapshot = signed.body();
    checkSession(snapshot.sessionId());
    Optional<Attested<ProtectedReceipt>> receipt = snapshot.latestReceipt();
    ProtectedReceipt checked = receipt.isPresent() ? checkedReceipt(receipt.get(), proofs) : null;
    if (checked != null) {
      onReceipt(checked);
    }
    client.listener().onSnapshot(this, snapshot);
  }

  private ProtectedReceipt checkedReceipt(
      Attested<ProtectedReceipt> receipt, VsProofVerifier proofs) throws Rejection {
    ProtectedReceipt r = proofs.verify(receipt);
    checkSession(r.sessionId());
    return r;
  }

  private void onReceipt(ProtectedReceipt receipt) {
    if (receipt.gsCounter() <= lastReceiptCounter) {
      return; // seen already: snapshots repeat the latest receipt
    }
    lastReceiptCounter = receipt.gsCounter();
    receipts.addLast(receipt);
    while (receipts.size() > KEPT_RECEIPTS) {
      receipts.removeFirst();
    }
    client.listener().onReceipt(this, receipt);
  }

  private void onTicket(Attested<PlayTicket> ticket) throws Rejection {
    if (ticket.statement().equals(tickets.newest())) {
      // The GS may forward a ticket it also put in the ServerHello; the same statement again
      // changes nothing, so it is ignored rather than trusted or treated as an attack.
      client.proofs().verify(ticket);
      return;
    }
    PlayTicket t = tickets.accept(ticket, client.monotonicClock().millis());
    client.listener().onTicket(this, t);
  }

  private void onRevoke(Attested<Revoke> attested, VsProofVerifier proofs) throws Rejection {
    Revoke revoke = proofs.verify(attested);
    checkSession(revoke.sessionId());
    client.listener().onRevoked(this, revoke);
    leave(new Disconnect(Origin.CLIENT, revoke.reasonCode(), "revoked by the VS"));
  }

  private void checkSession(SessionId id) throws Rejection {
    if (!id.equals(accept.sessionId())) {
      throw new Rejection(Reason.WRONG_SESSION, "message for session " + id.hex());
    }
  }

  private static <S extends VsStatement> Attested<S> attested(Frame frame, Class<S> type) {
    Attested<?> a = (Attested<?>) frame;
    return new Attested<>(type.cast(a.statement()), a.proof());
  }

  // ---------------------------------------------------------------------------------------------
  // Ticket starvation

  /** Whether the newest ticket is fresh now; when it is not, the session leaves. */
  private boolean fresh() {
    try {
      tickets.checkFresh(client.monotonicClock().millis());
      return true;
    } catch (Rejection e) {
      leave(new Disconnect(Origin.CLIENT, e.reason().code(), e.getMessage()));
      return false;
    }
  }

  private void armWatchdog() {
    long now = client.monotonicClock().millis();
    long delay = Math.max(0, Math.min(tickets.deadlineMs(now) - now, MAX_WATCHDOG_DELAY_MS));
    watchdog = client.scheduler().schedule(this::watch, delay, TimeUnit.MILLISECONDS);
  }

  private synchronized void watch() {
    if (state == State.OPEN && fresh()) {
      armWatchdog();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Frames out and leaving

  private void send(byte[] frame) {
    if (sending) {
      outbox.addLast(frame);
      return;
    }
    sending = true;
    ws.sendBinary(ByteBuffer.wrap(frame), true).whenComplete((w, e) -> sent(e));
  }

  private synchronized void sent(Throwable error) {
    sending = false;
    if (error != null) {
      leave(
          Disconnect.of(
              Origin.TRANSPORT, Reason.SERVICE_UNAVAILABLE, "send failed: " + rootMessage(error)));
      return;
    }
    if (state != State.CLOSED && !outbox.isEmpty()) {
      send(outbox.removeFirst());
    }
  }

  private synchronized void leave(Disconnect why) {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasOpen = state == State.OPEN;
    state = State.CLOSED;
    disconnect = why;
    outbox.clear();
    if (watchdog != null) {
      watchdog.cancel(false);
    }
    closeSocket(why);
    if (wasOpen) {
      client.listener().onDisconnect(this, why);
    } else {
      established.completeExceptionally(new RefusedException(why));
    }
  }

  private void closeSocket(Disconnect why) {
    WebSocket socket = ws;
    if (socket == null) {
      return; // opened() aborts it when it arrives
    }
    if (why.origin() == Origin.CLIENT || why.origin() == Origin.APPLICATION) {
      int status =
          why.origin() == Origin.APPLICATION
              ? WebSocket.NORMAL_CLOSURE
              : Reason.CLOSE_CODE_BASE + why.code();
      String text = Reason.nameOf(why.code());
      try {
        socket
            .sendClose(status, text)
            .orTimeout(2, TimeUnit.SECONDS)
            .whenComplete((w, e) -> socket.abort());
      } catch (IllegalStateException e) {
        socket.abort();
      }
    } else {
      socket.abort();
    }
  }

  private static String rootMessage(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  /** The socket's callbacks; the JDK calls them one at a time. */
  private final class Receiver implements WebSocket.Listener {

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      if (partial.size() + data.remaining() > Limits.MAX_FRAME_BYTES) {
        partial.reset();
        leave(Disconnect.of(Origin.CLIENT, Reason.FRAME_TOO_LARGE, "frame over the limit"));
        return null;
      }
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      partial.write(chunk, 0, chunk.length);
      if (last) {
        byte[] frame = partial.toByteArray();
        partial.reset();
        onFrame(frame);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      leave(Disconnect.of(Origin.CLIENT, Reason.MALFORMED, "a text frame"));
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      Reason named = Reason.fromCloseCode(statusCode);
      if (statusCode >= Reason.CLOSE_CODE_BASE && statusCode <= Reason.CLOSE_CODE_BASE + 999) {
        leave(
            new Disconnect(
                Origin.SERVER,
                statusCode - Reason.CLOSE_CODE_BASE,
                "closed by the game server: " + (named == null ? reason : named.name())));
      } else {
        leave(
            Disconnect.of(
                Origin.SERVER,
                Reason.SERVICE_UNAVAILABLE,
                "closed by the game server with status " + statusCode));
      }
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      leave(
          Disconnect.of(
              Origin.TRANSPORT,
              Reason.SERVICE_UNAVAILABLE,
              "connection lost: " + rootMessage(error)));
    }
  }
}
