package dev.mmo.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.client.Disconnect.Origin;
import dev.mmo.protocol.Limits;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ClientHello;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Heartbeat;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.ServerHello;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.WorldSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A scripted game server that passes the handshake with genuine statements, then sends what a rogue
 * or broken host might: the checks of protocol.md 10.4 after the handshake.
 */
class RogueGsTest {
  private static final long WAIT_SECONDS = 30;

  private final Statements s = new Statements();
  private final List<Attested<PlayTicket>> chain = s.chain(4);
  private final ManualMonotonicClock mono = new ManualMonotonicClock();
  private Vertx vertx;
  private HttpServer server;
  private volatile Consumer<ServerWebSocket> script = ws -> {};

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setMaxWebSocketFrameSize(1024))
            .webSocketHandler(
                ws ->
                    ws.binaryMessageHandler(
                        bytes -> {
                          try {
                            Signed<ClientHello> hello =
                                Codec.decodeSigned(bytes.getBytes(), ClientHello.class);
                            ServerHello answer =
                                new ServerHello(
                                    hello.body().clientKey(),
                                    hello.body().challenge(),
                                    s.accept,
                                    chain.subList(0, 2));
                            ws.writeBinaryMessage(
                                Buffer.buffer(Codec.encode(Signed.sign(answer, s.sessionKey))));
                            script.accept(ws);
                          } catch (Exception e) {
                            // Inputs after the hello: this host ignores them.
                          }
                        }));
    server.listen().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private Session connect(Recorder events) throws Exception {
    // The statements are from 2023: the wall clock is set to their time; the monotonic clock
    // stands still, so the tickets stay fresh for the whole test.
    Clock wall =
        Clock.fixed(Instant.ofEpochMilli(chain.get(1).statement().notBeforeMs()), ZoneOffset.UTC);
    return MmoClient.builder()
        .trustAnchors(s.vs.anchors())
        .clientKey(Ed25519KeyPair.generate(Statements.RANDOM))
        .gameServer(Statements.GS_ID, URI.create("ws://127.0.0.1:" + server.actualPort() + "/"))
        .listener(events)
        .wallClock(wall)
        .monotonicClock(mono)
        .build()
        .connect()
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private Disconnect leavesWith(Consumer<ServerWebSocket> frames, Recorder events)
      throws Exception {
    script = frames;
    connect(events);
    return events.disconnect.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static void send(ServerWebSocket ws, byte[] frame) {
    ws.writeBinaryMessage(Buffer.buffer(frame));
  }

  private Attested<ProtectedReceipt> receipt(SessionId session, long counter) {
    return s.vs.seal(
        new ProtectedReceipt(
            session, counter, Sha256.hash(new byte[] {9}), Sha256.hash(new byte[] {8}), 1),
        Statements.VS_START_MS);
  }

  private byte[] snapshot(Optional<Attested<ProtectedReceipt>> receipt, Ed25519KeyPair signer) {
    return Codec.encode(Signed.sign(new WorldSnapshot(s.session, 7, List.of(), receipt), signer));
  }

  @Test
  void receipts_forwardedAndInSnapshots_reportedOnceEachAndKept() throws Exception {
    Recorder events = new Recorder();
    script =
        ws -> {
          send(ws, Codec.encode(receipt(s.session, 1)));
          send(ws, snapshot(Optional.of(receipt(s.session, 1)), s.sessionKey));
          send(ws, snapshot(Optional.of(receipt(s.session, 2)), s.sessionKey));
        };
    Session session = connect(events);
    MmoClientTest.await(() -> events.receipts.size() == 2, "two receipts");
    MmoClientTest.await(() -> events.lastSnapshot.get() != null, "a snapshot");
    assertThat(events.receipts).extracting(ProtectedReceipt::gsCounter).containsExactly(1L, 2L);
    assertThat(session.receipts()).hasSize(2);
    assertThat(session.isOpen()).isTrue();
  }

  @Test
  void snapshot_signedByAnotherKey_badSignatureAndNotReported() throws Exception {
    Recorder events = new Recorder();
    Disconnect d =
        leavesWith(
            ws -> send(ws, snapshot(Optional.empty(), Ed25519KeyPair.generate(Statements.RANDOM))),
            events);
    assertThat(d.origin()).isEqualTo(Origin.CLIENT);
    assertThat(d.reason()).contains(Reason.BAD_SIGNATURE);
    assertThat(events.lastSnapshot.get()).isNull();
  }

  @Test
  void snapshot_receiptOfAnotherSession_wrongSession() throws Exception {
    Recorder events = new Recorder();
    Attested<ProtectedReceipt> foreign = receipt(SessionId.random(Statements.RANDOM), 1);
    Disconnect d = leavesWith(ws -> send(ws, snapshot(Optional.of(foreign), s.sessionKey)), events);
    assertThat(d.reason()).contains(Reason.WRONG_SESSION);
    assertThat(events.receipts).isEmpty();
    assertThat(events.lastSnapshot.get()).isNull();
  }

  @Test
  void forwardedReceipt_sealedByUntrustedVs_unknownVsKey() throws Exception {
    Recorder events = new Recorder();
    Attested<ProtectedReceipt> forged =
        new VsRoot().seal(receipt(s.session, 1).statement(), Statements.VS_START_MS);
    Disconnect d = leavesWith(ws -> send(ws, Codec.encode(forged)), events);
    assertThat(d.reason()).contains(Reason.UNKNOWN_VS_KEY);
    assertThat(events.receipts).isEmpty();
  }

  @Test
  void tickets_nextLinkAccepted_gapRefused() throws Exception {
    Recorder events = new Recorder();
    Disconnect d =
        leavesWith(
            ws -> {
              send(ws, Codec.encode(chain.get(1))); // the newest again: ignored
              send(ws, Codec.encode(chain.get(2)));
              send(ws, Codec.encode(s.chain(6).get(5))); // counter 6 after 3
            },
            events);
    assertThat(events.tickets).extracting(PlayTicket::counter).containsExactly(3L);
    assertThat(d.origin()).isEqualTo(Origin.CLIENT);
    assertThat(d.reason()).contains(Reason.CHAIN_GAP);
  }

  @Test
  void revoke_ofAnotherSession_wrongSessionNotRevoked() throws Exception {
    Recorder events = new Recorder();
    Attested<Revoke> other =
        s.vs.seal(
            Revoke.of(SessionId.random(Statements.RANDOM), Reason.OPERATOR_ACTION, 1),
            Statements.VS_START_MS);
    Disconnect d = leavesWith(ws -> send(ws, Codec.encode(other)), events);
    assertThat(d.reason()).contains(Reason.WRONG_SESSION);
    assertThat(events.revokes).isEmpty();
  }

  @Test
  void heartbeatOnTheClientSocket_unexpectedType() throws Exception {
    Heartbeat hb = new Heartbeat(s.session, 1, 1, Hash.ZERO, Hash.ZERO);
    Disconnect d =
        leavesWith(ws -> send(ws, Codec.encode(Signed.sign(hb, s.sessionKey))), new Recorder());
    assertThat(d.reason()).contains(Reason.UNEXPECTED_TYPE);
  }

  @Test
  void textFrame_malformed() throws Exception {
    Disconnect d = leavesWith(ws -> ws.writeTextMessage("hello"), new Recorder());
    assertThat(d.origin()).isEqualTo(Origin.CLIENT);
    assertThat(d.reason()).contains(Reason.MALFORMED);
  }

  @Test
  void messageOverTheFrameLimit_frameTooLarge() throws Exception {
    // Sent in 1 KiB WebSocket fragments: the client stops collecting at 65,536 bytes.
    Disconnect d = leavesWith(ws -> send(ws, new byte[Limits.MAX_FRAME_BYTES + 1]), new Recorder());
    assertThat(d.reason()).contains(Reason.FRAME_TOO_LARGE);
  }

  @Test
  void starvation_monotonicClockPastL_noFreshTicket() throws Exception {
    Recorder events = new Recorder();
    script = ws -> {};
    Session session = connect(events);
    mono.advanceMs(5_000);
    Disconnect d = events.disconnect.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(d.reason()).contains(Reason.NO_FRESH_TICKET);
    assertThat(session.newestTicket().counter()).isEqualTo(2);
    assertThat(events.tickets).isEmpty();
  }
}
