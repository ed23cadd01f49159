package dev.mmo.protocol.testing;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.chain.ReceiptTip;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.crypto.Signer;
import dev.mmo.protocol.crypto.SigningException;
import dev.mmo.protocol.trust.BatchSealer;
import dev.mmo.protocol.trust.SealedBatch;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.protocol.wire.Challenge;
import dev.mmo.protocol.wire.ClientHello;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.Heartbeat;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.JoinNonce;
import dev.mmo.protocol.wire.JoinRequest;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.ResumeRequest;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.ServerHello;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.wire.VsStatement;
import dev.mmo.protocol.wire.WorldSnapshot;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One deterministic session, message by message, signed with {@link TestKeys}: the source of the
 * golden vectors and a ready supply of valid messages for tests.
 *
 * <p>Times are fixed (the session starts 2026-01-01T00:00:00Z). Batches: batch 0 holds the
 * JoinAccept and ticket 1; batch 1 holds tickets 2 and 3 and the first receipt; batch 2 the revoke.
 */
public final class Scenario {
  public static final long T0 = 1_767_225_600_000L;
  public static final GsId GS_ID = new GsId("gs-1");
  public static final Hash SW_HASH = label("mmo test software 1.0");
  public static final SessionId SESSION =
      new SessionId(Bytes.copyOf(label("session 1").toByteArray(), 0, 16));
  public static final SessionId OTHER_SESSION =
      new SessionId(Bytes.copyOf(label("session 2").toByteArray(), 0, 16));
  public static final GameRules RULES =
      new GameRules(20, 5 * Vec2.UNITS_PER_METRE, new Bounds(-100_000, -100_000, 100_000, 100_000));
  public static final long HEARTBEAT_INTERVAL_MS = 1_000;
  public static final long TICKET_INTERVAL_MS = 2_000;
  public static final long TICKET_LIFETIME_MS = 5_000;

  public final Signer vsRoot;
  public final TrustAnchors anchors;

  public final Signed<JoinRequest> joinRequest;
  public final byte[] joinRequestFrame;
  public final JoinAccept joinAcceptStatement;
  public final SealedBatch batch0;
  public final SealedBatch batch1;
  public final SealedBatch batch2;
  public final Attested<JoinAccept> joinAccept;

  /** Tickets 1, 2, 3 (index 0 is ticket 1). */
  public final List<Attested<PlayTicket>> tickets;

  public final Signed<ResumeRequest> resumeRequest;
  public final Signed<Heartbeat> heartbeat;
  public final Signed<TranscriptDigest> transcriptDigest;
  public final Attested<ProtectedReceipt> receipt;
  public final Attested<Revoke> revoke;
  public final Signed<ClientHello> clientHello;
  public final Signed<ServerHello> serverHello;

  /** Client A's first three inputs, in order. */
  public final List<Signed<ClientInput>> inputs;

  /** receipt_tip after each of {@link #inputs}. */
  public final List<Hash> tips;

  public final Signed<WorldSnapshot> worldSnapshot;

  public Scenario() {
    this(TestKeys.VS_ROOT);
  }

  public Scenario(Signer vsRoot) {
    this.vsRoot = vsRoot;
    this.anchors = TrustAnchors.of(vsRoot.publicKey());
    try {
      joinRequest =
          Signed.sign(
              new JoinRequest(
                  GS_ID,
                  TestKeys.GS_SESSION.publicKey(),
                  SW_HASH,
                  T0,
                  new JoinNonce(Bytes.fromHex("000102030405060708090a0b0c0d0e0f"))),
              TestKeys.GS_LONG_TERM);
      joinRequestFrame = Codec.encode(joinRequest);
      joinAcceptStatement =
          new JoinAccept(
              SESSION,
              GS_ID,
              TestKeys.GS_SESSION.publicKey(),
              SW_HASH,
              Hashes.frameHash(joinRequestFrame),
              T0 + 5,
              HEARTBEAT_INTERVAL_MS,
              TICKET_INTERVAL_MS,
              TICKET_LIFETIME_MS,
              RULES);
      PlayTicket t1 = ticket(SESSION, 1, Hashes.statementHash(joinAcceptStatement));
      PlayTicket t2 = ticket(SESSION, 2, Hashes.statementHash(t1));
      PlayTicket t3 = ticket(SESSION, 3, Hashes.statementHash(t2));
      batch0 = seal(List.of(joinAcceptStatement, t1), 0, Hash.ZERO, T0 + 10);
      joinAccept = batch0.attest(joinAcceptStatement, 0);

      resumeRequest = Signed.sign(new ResumeRequest(SESSION, 1, T0 + 900), TestKeys.GS_SESSION);

      List<Signed<ClientInput>> in = new ArrayList<>();
      List<Hash> tipList = new ArrayList<>();
      Hash tip = ReceiptTip.GENESIS;
      Hash t1Hash = Hashes.statementHash(t1);
      Vec2[] moves = {new Vec2(250, 0), new Vec2(0, -250), new Vec2(10_000, 10_000)};
      for (int i = 0; i < moves.length; i++) {
        Signed<ClientInput> input =
            Signed.sign(
                new ClientInput(SESSION, 1, t1Hash, i + 1, moves[i], i == 2 ? 1 : 0),
                TestKeys.CLIENT_A);
        in.add(input);
        tip = ReceiptTip.fold(tip, Codec.encode(input));
        tipList.add(tip);
      }
      inputs = List.copyOf(in);
      tips = List.copyOf(tipList);

      heartbeat =
          Signed.sign(new Heartbeat(SESSION, 2, T0 + 1_000, tip, SW_HASH), TestKeys.GS_SESSION);
      List<PlayerPosition> positions = positions();
      transcriptDigest =
          Signed.sign(
              new TranscriptDigest(SESSION, 3, 20, T0 + 1_010, tip, positions),
              TestKeys.GS_SESSION);
      ProtectedReceipt receiptStatement =
          new ProtectedReceipt(
              SESSION, 3, tip, Hashes.frameHash(Codec.encode(transcriptDigest)), T0 + 1_030);

      batch1 =
          seal(
              List.of(t2, t3, receiptStatement),
              1,
              Hashes.batchHeadHash(batch0.head()),
              T0 + 2_010);
      tickets = List.of(batch0.attest(t1, 1), batch1.attest(t2, 0), batch1.attest(t3, 1));
      receipt = batch1.attest(receiptStatement, 2);

      Revoke revokeStatement = Revoke.of(SESSION, Reason.SPEED_VIOLATION, T0 + 4_500);
      batch2 = seal(List.of(revokeStatement), 2, Hashes.batchHeadHash(batch1.head()), T0 + 4_510);
      revoke = batch2.attest(revokeStatement, 0);

      Challenge challenge =
          new Challenge(Bytes.copyOf(label("client a challenge 1").toByteArray()));
      clientHello =
          Signed.sign(
              new ClientHello(TestKeys.CLIENT_A.publicKey(), challenge, T0 + 3_000, GS_ID),
              TestKeys.CLIENT_A);
      serverHello =
          Signed.sign(
              new ServerHello(
                  TestKeys.CLIENT_A.publicKey(),
                  challenge,
                  joinAccept,
                  List.of(tickets.get(0), tickets.get(1))),
              TestKeys.GS_SESSION);
      worldSnapshot =
          Signed.sign(
              new WorldSnapshot(SESSION, 21, positions, Optional.of(receipt)), TestKeys.GS_SESSION);
    } catch (SigningException e) {
      throw new IllegalStateException("a software signer cannot fail", e);
    }
  }

  /**
   * Ticket {@code counter} of {@code session}, valid from T0 + 10 + 2000 * (counter - 1) for 5 s.
   */
  public static PlayTicket ticket(SessionId session, long counter, Hash prev) {
    long notBefore = T0 + 10 + TICKET_INTERVAL_MS * (counter - 1);
    return new PlayTicket(
        session, Hash.ZERO, counter, notBefore, notBefore + TICKET_LIFETIME_MS, prev);
  }

  /** Client A and client B, sorted by key as the wire requires. */
  public static List<PlayerPosition> positions() {
    List<PlayerPosition> list =
        new ArrayList<>(
            List.of(
                new PlayerPosition(TestKeys.CLIENT_A.publicKey(), new Vec2(10_250, -250)),
                new PlayerPosition(TestKeys.CLIENT_B.publicKey(), new Vec2(-3_000, 7_000))));
    list.sort((a, b) -> a.player().compareTo(b.player()));
    return List.copyOf(list);
  }

  /** Seals statements into a batch with this scenario's VS key. */
  public SealedBatch seal(List<? extends VsStatement> statements, long seq, Hash prev, long timeMs)
      throws SigningException {
    return BatchSealer.seal(statements, seq, prev, timeMs, vsRoot);
  }

  /** Every batch head of the scenario, in chain order. */
  public List<BatchHead> batchHeads() {
    return List.of(batch0.head(), batch1.head(), batch2.head());
  }

  /** Signs {@code unsignedFrame} (header and body) as {@code key} would under {@code label}. */
  public static byte[] signRaw(byte[] unsignedFrame, byte[] label, Ed25519KeyPair key) {
    byte[] input = new byte[label.length + unsignedFrame.length];
    System.arraycopy(label, 0, input, 0, label.length);
    System.arraycopy(unsignedFrame, 0, input, label.length, unsignedFrame.length);
    byte[] sig = key.sign(input).bytes().toByteArray();
    byte[] frame = Arrays.copyOf(unsignedFrame, unsignedFrame.length + sig.length);
    System.arraycopy(sig, 0, frame, unsignedFrame.length, sig.length);
    return frame;
  }

  private static Hash label(String text) {
    return Sha256.hash(text.getBytes(StandardCharsets.US_ASCII));
  }
}
