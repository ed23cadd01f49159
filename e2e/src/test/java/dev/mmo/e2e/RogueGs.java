package dev.mmo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ClientHello;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Heartbeat;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.JoinNonce;
import dev.mmo.protocol.wire.JoinRequest;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.ServerHello;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.world.PlayerPosition;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A game server that lies: enrolled and joined like an honest one (its own long-term key, the
 * software hash it was allowed), then sends whatever frames a scenario builds, signed with the real
 * session key. It speaks the protocol directly over the JDK WebSocket, so it can send what no
 * honest GS would.
 */
final class RogueGs implements AutoCloseable {
  static final Hash SOFTWARE = Sha256.hash("e2e rogue build".getBytes(StandardCharsets.US_ASCII));
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebSocket socket;
  private final BlockingQueue<byte[]> frames;
  private final CompletableFuture<Integer> closed;
  private final Ed25519KeyPair sessionKey;
  private final VsProofVerifier proofs;
  private final List<Attested<PlayTicket>> tickets = new ArrayList<>();
  private GsId id;
  private JoinAccept accept;
  private Attested<JoinAccept> acceptFrame;

  private RogueGs(
      WebSocket socket,
      BlockingQueue<byte[]> frames,
      CompletableFuture<Integer> closed,
      Ed25519KeyPair sessionKey,
      VsProofVerifier proofs) {
    this.socket = socket;
    this.frames = frames;
    this.closed = closed;
    this.sessionKey = sessionKey;
    this.proofs = proofs;
  }

  /** Enrolls a fresh game server, joins, and waits for the JoinAccept and the first ticket. */
  static RogueGs joined(Vs vs, Admin admin, VsProofVerifier proofs) throws Exception {
    Ed25519KeyPair longTerm = Ed25519KeyPair.generate(RANDOM);
    byte[] suffix = new byte[6];
    RANDOM.nextBytes(suffix);
    GsId id = new GsId("rogue-" + HexFormat.of().formatHex(suffix));
    admin.post(
        "/api/game-servers",
        "{\"id\":\""
            + id.value()
            + "\",\"publicKey\":\""
            + longTerm.publicKey().hex()
            + "\",\"allowedSoftware\":[\""
            + SOFTWARE.hex()
            + "\"]}",
        201);
    BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(vs.gsEndpoint(), new Collector(frames, closed))
            .get(30, TimeUnit.SECONDS);
    Ed25519KeyPair sessionKey = Ed25519KeyPair.generate(RANDOM);
    RogueGs rogue = new RogueGs(socket, frames, closed, sessionKey, proofs);
    rogue.id = id;
    rogue.send(
        Codec.encode(
            Signed.sign(
                new JoinRequest(
                    id,
                    sessionKey.publicKey(),
                    SOFTWARE,
                    System.currentTimeMillis(),
                    new JoinNonce(Bytes.random(RANDOM, 16))),
                longTerm)));
    rogue.accept = rogue.next(JoinAccept.class);
    rogue.next(PlayTicket.class);
    return rogue;
  }

  JoinAccept accept() {
    return accept;
  }

  GsId id() {
    return id;
  }

  /** The tickets the VS sent that were read so far, oldest first, each verified. */
  List<Attested<PlayTicket>> tickets() {
    return List.copyOf(tickets);
  }

  /**
   * What this game server answers a client's hello with: a ServerHello showing {@code shown},
   * signed with the real session key, whatever the tickets are.
   */
  byte[] serverHello(byte[] clientHello, List<Attested<PlayTicket>> shown) throws Rejection {
    ClientHello hello = (ClientHello) ((Signed<?>) Codec.decode(clientHello)).body();
    return Codec.encode(
        Signed.sign(
            new ServerHello(hello.clientKey(), hello.challenge(), acceptFrame, shown), sessionKey));
  }

  void send(byte[] frame) {
    socket.sendBinary(ByteBuffer.wrap(frame), true).join();
  }

  byte[] heartbeat(long counter, Hash software) {
    return Codec.encode(
        Signed.sign(
            new Heartbeat(
                accept.sessionId(), counter, System.currentTimeMillis(), Hash.ZERO, software),
            sessionKey));
  }

  byte[] digest(long counter, long tick, List<PlayerPosition> positions) {
    return Codec.encode(
        Signed.sign(
            new TranscriptDigest(
                accept.sessionId(),
                counter,
                tick,
                System.currentTimeMillis(),
                Sha256.hash(("tip " + counter).getBytes(StandardCharsets.US_ASCII)),
                positions),
            sessionKey));
  }

  /**
   * Reads frames until an attested statement of {@code type}; every statement read is verified, and
   * the tickets are kept.
   */
  <S extends dev.mmo.protocol.wire.VsStatement> S next(Class<S> type) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      byte[] raw = frames.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (raw == null) {
        throw new AssertionError(
            "no " + type.getSimpleName() + " within 30 s; closed: " + closed.getNow(null));
      }
      Frame frame = Codec.decode(raw);
      assertThat(frame).isInstanceOf(Attested.class);
      Object statement = ((Attested<?>) frame).statement();
      verified(raw, dev.mmo.protocol.wire.VsStatement.class);
      @SuppressWarnings("unchecked")
      Attested<dev.mmo.protocol.wire.VsStatement> attested =
          (Attested<dev.mmo.protocol.wire.VsStatement>) frame;
      if (statement instanceof JoinAccept a) {
        acceptFrame = new Attested<>(a, attested.proof());
      } else if (statement instanceof PlayTicket t) {
        tickets.add(new Attested<>(t, attested.proof()));
      }
      if (type.isInstance(statement)) {
        return type.cast(statement);
      }
    }
  }

  private <S extends dev.mmo.protocol.wire.VsStatement> S verified(byte[] raw, Class<S> type)
      throws Rejection {
    @SuppressWarnings("unchecked")
    Attested<S> attested = (Attested<S>) Codec.decode(raw);
    return type.cast(proofs.verify(attested));
  }

  /** The Revoke the VS sends, verified against the trust anchors. */
  Revoke revoked() throws Exception {
    return next(Revoke.class);
  }

  int closeStatus() throws Exception {
    return closed.get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    socket.abort();
  }

  /** Gathers binary messages, whole, in arrival order. */
  private static final class Collector implements WebSocket.Listener {
    private final BlockingQueue<byte[]> frames;
    private final CompletableFuture<Integer> closed;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    Collector(BlockingQueue<byte[]> frames, CompletableFuture<Integer> closed) {
      this.frames = frames;
      this.closed = closed;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      partial.writeBytes(chunk);
      if (last) {
        frames.add(partial.toByteArray());
        partial.reset();
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
