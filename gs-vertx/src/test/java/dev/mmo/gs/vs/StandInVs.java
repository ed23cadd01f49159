package dev.mmo.gs.vs;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.SigningException;
import dev.mmo.protocol.crypto.SoftwareEcdsaSigner;
import dev.mmo.protocol.trust.BatchSealer;
import dev.mmo.protocol.trust.SealedBatch;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.Heartbeat;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.JoinRequest;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.ResumeRequest;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.wire.VsStatement;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process stand-in for the VS {@code /gs} endpoint: it really signs (a software P-256 key,
 * batches of one through {@link BatchSealer}) and really checks the GS's signatures and counters
 * (protocol.md 8.1 step 4, 8.3 steps 2 to 5, 9.1 steps 3 and 4). Any check that fails is recorded
 * in {@link #violations} and closes the connection with its reason, as the VS does. Tickets,
 * receipts and revokes go out when the test says so, never on a timer, so tests are deterministic.
 */
final class StandInVs {
  static final long HEARTBEAT_INTERVAL_MS = 150;
  static final long TICKET_INTERVAL_MS = 2_000;
  static final long TICKET_LIFETIME_MS = 5_000;
  static final GameRules RULES =
      new GameRules(20, 5_000, new Bounds(-100_000, -100_000, 100_000, 100_000));

  private final Vertx vertx;
  private final SoftwareEcdsaSigner signer;
  private final Ed25519PublicKey enrolledKey;
  private final SecureRandom random = new SecureRandom();

  private HttpServer server;
  private long batchSeq;
  private Hash prevHead = Hash.ZERO;

  // Guarded by this.
  private ServerWebSocket connection;
  private Attested<JoinAccept> accept;
  private Ed25519Verifier sessionVerifier;
  private long lastCounter;
  private Hash lastTicketHash;
  private long lastTicketCounter;
  private final List<Attested<PlayTicket>> issued = new ArrayList<>();
  private boolean autoReceipts;
  private Reason refuseResumesWith;
  private Hash acceptSwHash;
  private boolean ignoreJoins;
  private Reason refuseJoinsWith;

  final List<Signed<JoinRequest>> joins = new CopyOnWriteArrayList<>();

  /** When each of {@link #joins} arrived, in {@link System#nanoTime()}. */
  final List<Long> joinArrivals = new CopyOnWriteArrayList<>();

  final List<Signed<ResumeRequest>> resumes = new CopyOnWriteArrayList<>();
  final List<Signed<Heartbeat>> heartbeats = new CopyOnWriteArrayList<>();
  final List<Signed<TranscriptDigest>> digests = new CopyOnWriteArrayList<>();
  final List<byte[]> digestFrames = new CopyOnWriteArrayList<>();
  final List<Short> closesFromGs = new CopyOnWriteArrayList<>();
  final List<String> violations = new CopyOnWriteArrayList<>();

  StandInVs(Vertx vertx, Ed25519PublicKey enrolledKey) {
    this.vertx = vertx;
    this.enrolledKey = enrolledKey;
    this.signer = SoftwareEcdsaSigner.generate(random);
  }

  TrustAnchors trustAnchors() {
    return TrustAnchors.of(signer.publicKey());
  }

  Future<Integer> start() {
    server = vertx.createHttpServer();
    return server
        .webSocketHandshakeHandler(
            handshake -> {
              if ("/gs".equals(handshake.path())) {
                handshake.accept();
              } else {
                handshake.reject(404);
              }
            })
        .webSocketHandler(this::connected)
        .listen(0, "127.0.0.1")
        .map(HttpServer::actualPort);
  }

  Future<Void> stop() {
    return server.close();
  }

  private synchronized void connected(ServerWebSocket ws) {
    connection = ws;
    ws.binaryMessageHandler(b -> received(ws, b.getBytes()));
    ws.closeHandler(
        v -> {
          Short status = ws.closeStatusCode();
          if (status != null) {
            closesFromGs.add(status);
          }
        });
  }

  private synchronized void received(ServerWebSocket ws, byte[] bytes) {
    if (ws != connection) {
      return;
    }
    try {
      Frame frame = Codec.decode(bytes);
      Object body = ((Signed<?>) frame).body();
      if (body instanceof JoinRequest) {
        Signed<JoinRequest> join = Codec.decodeSigned(bytes, JoinRequest.class);
        join.verify(Ed25519Verifier.of(enrolledKey));
        joins.add(join);
        joinArrivals.add(System.nanoTime());
        if (refuseJoinsWith != null) {
          close(ws, refuseJoinsWith);
        } else if (!ignoreJoins) {
          joined(ws, join, bytes);
        }
      } else if (body instanceof ResumeRequest) {
        Signed<ResumeRequest> resume = Codec.decodeSigned(bytes, ResumeRequest.class);
        if (accept == null || !resume.body().sessionId().equals(sessionId())) {
          throw new Rejection(Reason.SESSION_UNKNOWN, "no such session");
        }
        if (refuseResumesWith != null) {
          resumes.add(resume);
          close(ws, refuseResumesWith);
          return;
        }
        resume.verify(sessionVerifier);
        counter(resume.body().gsCounter());
        resumes.add(resume);
        // 8.3: every kept ticket again, oldest first.
        for (Attested<PlayTicket> t : issued) {
          send(t);
        }
      } else if (body instanceof Heartbeat) {
        Signed<Heartbeat> heartbeat = Codec.decodeSigned(bytes, Heartbeat.class);
        heartbeat.verify(sessionVerifier);
        counter(heartbeat.body().gsCounter());
        if (!heartbeat.body().swHash().equals(accept.statement().swHash())) {
          throw new Rejection(Reason.SW_HASH_MISMATCH, "sw_hash");
        }
        heartbeats.add(heartbeat);
      } else if (body instanceof TranscriptDigest) {
        Signed<TranscriptDigest> digest = Codec.decodeSigned(bytes, TranscriptDigest.class);
        digest.verify(sessionVerifier);
        counter(digest.body().gsCounter());
        digests.add(digest);
        digestFrames.add(bytes);
        if (autoReceipts) {
          send(receiptFor(digest.body(), bytes));
        }
      } else {
        throw new Rejection(Reason.UNEXPECTED_TYPE, "unexpected " + frame.type());
      }
    } catch (Rejection r) {
      violations.add(r.reason() + ": " + r.getMessage());
      close(ws, r.reason());
    }
  }

  private void counter(long gsCounter) throws Rejection {
    if (gsCounter <= lastCounter) {
      throw new Rejection(Reason.COUNTER_NOT_INCREASING, gsCounter + " after " + lastCounter);
    }
    lastCounter = gsCounter;
  }

  private void joined(ServerWebSocket ws, Signed<JoinRequest> join, byte[] bytes) throws Rejection {
    JoinRequest r = join.body();
    JoinAccept a =
        new JoinAccept(
            SessionId.random(random),
            r.gsId(),
            r.sessionKey(),
            acceptSwHash != null ? acceptSwHash : r.swHash(),
            Hashes.frameHash(bytes),
            System.currentTimeMillis(),
            HEARTBEAT_INTERVAL_MS,
            TICKET_INTERVAL_MS,
            TICKET_LIFETIME_MS,
            RULES);
    accept = attest(a);
    sessionVerifier = Ed25519Verifier.of(r.sessionKey());
    lastCounter = 0;
    lastTicketCounter = 0;
    lastTicketHash = Hashes.statementHash(a);
    issued.clear();
    send(accept);
  }

  <S extends VsStatement> Attested<S> attest(S statement) {
    try {
      SealedBatch batch =
          BatchSealer.seal(
              List.of(statement), batchSeq++, prevHead, System.currentTimeMillis(), signer);
      prevHead = Hashes.batchHeadHash(batch.head());
      return batch.attest(statement, 0);
    } catch (SigningException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The next ticket of the chain, neither issued nor sent (for tests that forge it). */
  synchronized PlayTicket nextTicket() {
    long now = System.currentTimeMillis();
    return new PlayTicket(
        sessionId(),
        Hash.ZERO,
        lastTicketCounter + 1,
        now,
        now + TICKET_LIFETIME_MS,
        lastTicketHash);
  }

  /** Joins are checked and recorded but never answered (a VS that hangs). */
  synchronized void ignoreJoins(boolean on) {
    ignoreJoins = on;
  }

  /** Joins are checked, recorded and refused with {@code reason}, or answered again when null. */
  synchronized void refuseJoinsWith(Reason reason) {
    refuseJoinsWith = reason;
  }

  /** JoinAccepts from now on pin {@code swHash} instead of the one the GS sent. */
  synchronized void acceptWithSwHash(Hash swHash) {
    acceptSwHash = swHash;
  }

  /** Issues the next ticket of the chain (kept, like the VS keeps its newest K) and sends it. */
  synchronized Attested<PlayTicket> issueTicket() {
    PlayTicket t = nextTicket();
    Attested<PlayTicket> attested = attest(t);
    lastTicketCounter = t.counter();
    lastTicketHash = Hashes.statementHash(t);
    issued.add(attested);
    while (issued.size() > 4) {
      issued.remove(0);
    }
    send(attested);
    return attested;
  }

  /** Issues the next ticket without sending it (a ticket lost with a dropped connection). */
  synchronized void issueTicketUnsent() {
    ServerWebSocket ws = connection;
    connection = null;
    try {
      issueTicket();
    } finally {
      connection = ws;
    }
  }

  synchronized SessionId sessionId() {
    return accept.statement().sessionId();
  }

  synchronized Attested<JoinAccept> accept() {
    return accept;
  }

  synchronized long lastTicketCounter() {
    return lastTicketCounter;
  }

  synchronized Hash lastTicketHash() {
    return lastTicketHash;
  }

  synchronized void autoReceipts(boolean on) {
    autoReceipts = on;
  }

  synchronized void refuseResumesWith(Reason reason) {
    refuseResumesWith = reason;
  }

  Attested<ProtectedReceipt> receiptFor(TranscriptDigest digest, byte[] frame) {
    return attest(
        new ProtectedReceipt(
            digest.sessionId(),
            digest.gsCounter(),
            digest.receiptTip(),
            Hashes.frameHash(frame),
            System.currentTimeMillis()));
  }

  Attested<Revoke> revoke(Reason reason) {
    return attest(Revoke.of(sessionId(), reason, System.currentTimeMillis()));
  }

  /** Sends any frame on the current connection. */
  synchronized void send(Frame frame) {
    sendBytes(Codec.encode(frame));
  }

  synchronized void sendBytes(byte[] bytes) {
    if (connection != null) {
      connection.writeBinaryMessage(Buffer.buffer(bytes));
    }
  }

  /** Drops the current connection as the VS does for a silent game server. */
  synchronized void dropConnection(Reason reason) {
    if (connection != null) {
      close(connection, reason);
    }
  }

  private void close(ServerWebSocket ws, Reason reason) {
    ws.close((short) reason.closeCode(), reason.name());
  }
}
