package dev.mmo.protocol.wire;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Ed25519Signature;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.KeyId;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one canonical codec: every structure of docs/protocol.md, byte by byte.
 *
 * <p>Every frame is {@code version (u8) || type (u8) || body || authenticator}, where the
 * authenticator is a 64-byte Ed25519 signature or a VsProof. Integers are big-endian and fixed
 * width. Decoding is strict: a frame decodes only if re-encoding the result gives the same bytes,
 * and any other input raises a {@link Rejection} (never another exception) whose reason follows the
 * order of checks in docs/protocol.md.
 */
public final class Codec {
  /** The protocol version this codec speaks. */
  public static final int VERSION = 1;

  /** Encoded size of a BatchHead, header included. */
  public static final int BATCH_HEAD_LENGTH =
      2 + KeyId.LENGTH + 8 + Hash.LENGTH + 8 + 4 + Hash.LENGTH;

  private static final int POSITION_LENGTH = Ed25519PublicKey.LENGTH + 4 + 4;

  private static final Map<Class<?>, MessageType> TYPE_OF =
      Map.ofEntries(
          Map.entry(JoinRequest.class, MessageType.JOIN_REQUEST),
          Map.entry(JoinAccept.class, MessageType.JOIN_ACCEPT),
          Map.entry(ResumeRequest.class, MessageType.RESUME_REQUEST),
          Map.entry(PlayTicket.class, MessageType.PLAY_TICKET),
          Map.entry(Heartbeat.class, MessageType.HEARTBEAT),
          Map.entry(TranscriptDigest.class, MessageType.TRANSCRIPT_DIGEST),
          Map.entry(ProtectedReceipt.class, MessageType.PROTECTED_RECEIPT),
          Map.entry(Revoke.class, MessageType.REVOKE),
          Map.entry(ClientHello.class, MessageType.CLIENT_HELLO),
          Map.entry(ServerHello.class, MessageType.SERVER_HELLO),
          Map.entry(ClientInput.class, MessageType.CLIENT_INPUT),
          Map.entry(WorldSnapshot.class, MessageType.WORLD_SNAPSHOT));

  private Codec() {}

  // ---------------------------------------------------------------------------------------------
  // Encoding

  /** The frame's bytes. */
  public static byte[] encode(Frame frame) {
    Writer w = new Writer(256);
    if (frame instanceof Signed<?> signed) {
      writeHeader(w, signed.type());
      writeBody(w, signed.body());
      w.bytes(signed.signature().bytes());
    } else if (frame instanceof Attested<?> attested) {
      writeHeader(w, attested.type());
      writeStatement(w, attested.statement());
      writeProof(w, attested.proof());
    } else {
      throw new IllegalArgumentException("unknown frame " + frame);
    }
    return w.toByteArray();
  }

  /**
   * What an Ed25519 signature over {@code body} signs: {@code label || version || type || body}.
   */
  public static byte[] signingInput(SignedBody body) {
    Writer w = new Writer(256);
    w.raw(body.type().domainLabelShared());
    writeHeader(w, body.type());
    writeBody(w, body);
    return w.toByteArray();
  }

  /**
   * The statement bytes of {@code statement}: {@code label || version || type || body}. A batch's
   * Merkle leaf is {@code SHA-256(0x00 || statement bytes)}.
   */
  public static byte[] statementBytes(VsStatement statement) {
    Writer w = new Writer(256);
    w.raw(statement.type().domainLabelShared());
    writeHeader(w, statement.type());
    writeStatement(w, statement);
    return w.toByteArray();
  }

  /** The {@value #BATCH_HEAD_LENGTH}-byte encoding of {@code head}. */
  public static byte[] encodeBatchHead(BatchHead head) {
    Writer w = new Writer(BATCH_HEAD_LENGTH);
    writeBatchHead(w, head);
    return w.toByteArray();
  }

  /** What the VS root key signs for {@code head}: {@code label || encoded head}. */
  public static byte[] batchHeadSigningInput(BatchHead head) {
    Writer w = new Writer(BATCH_HEAD_LENGTH + 32);
    w.raw(MessageType.BATCH_HEAD.domainLabelShared());
    writeBatchHead(w, head);
    return w.toByteArray();
  }

  private static void writeHeader(Writer w, MessageType type) {
    w.u8(VERSION).u8(type.code());
  }

  private static void writeBody(Writer w, SignedBody body) {
    if (body instanceof JoinRequest m) {
      writeGsId(w, m.gsId());
      w.bytes(m.sessionKey().bytes()).bytes(m.swHash().bytes()).u64(m.gsTimeMs());
      w.bytes(m.nonce().bytes());
    } else if (body instanceof ResumeRequest m) {
      w.bytes(m.sessionId().bytes()).u64(m.gsCounter()).u64(m.gsTimeMs());
    } else if (body instanceof Heartbeat m) {
      w.bytes(m.sessionId().bytes()).u64(m.gsCounter()).u64(m.gsTimeMs());
      w.bytes(m.receiptTip().bytes()).bytes(m.swHash().bytes());
    } else if (body instanceof TranscriptDigest m) {
      w.bytes(m.sessionId().bytes()).u64(m.gsCounter()).u64(m.tick()).u64(m.gsTimeMs());
      w.bytes(m.receiptTip().bytes());
      writePositions(w, m.positions());
    } else if (body instanceof ClientHello m) {
      w.bytes(m.clientKey().bytes()).bytes(m.challenge().bytes()).u64(m.clientTimeMs());
      writeGsId(w, m.gsId());
    } else if (body instanceof ServerHello m) {
      w.bytes(m.clientKey().bytes()).bytes(m.challenge().bytes());
      writeNested(w, m.joinAccept());
      w.u8(m.tickets().size());
      for (Attested<PlayTicket> ticket : m.tickets()) {
        writeNested(w, ticket);
      }
    } else if (body instanceof ClientInput m) {
      w.bytes(m.sessionId().bytes()).u64(m.ticketCounter()).bytes(m.ticketHash().bytes());
      w.u64(m.clientNonce()).i32(m.move().x()).i32(m.move().y()).i32(m.actions());
    } else if (body instanceof WorldSnapshot m) {
      w.bytes(m.sessionId().bytes()).u64(m.tick());
      writePositions(w, m.positions());
      if (m.latestReceipt().isPresent()) {
        w.u8(1);
        writeNested(w, m.latestReceipt().get());
      } else {
        w.u8(0);
      }
    } else {
      throw new IllegalArgumentException("unknown body " + body);
    }
  }

  private static void writeStatement(Writer w, VsStatement statement) {
    if (statement instanceof JoinAccept m) {
      w.bytes(m.sessionId().bytes());
      writeGsId(w, m.gsId());
      w.bytes(m.sessionKey().bytes()).bytes(m.swHash().bytes()).bytes(m.joinRequestHash().bytes());
      w.u64(m.issuedAtMs()).u32(m.heartbeatIntervalMs()).u32(m.ticketIntervalMs());
      w.u32(m.ticketLifetimeMs());
      GameRules rules = m.rules();
      w.u16(rules.tickRateHz()).u32(rules.maxSpeed());
      Bounds b = rules.bounds();
      w.i32(b.minX()).i32(b.minY()).i32(b.maxX()).i32(b.maxY());
    } else if (statement instanceof PlayTicket m) {
      w.bytes(m.sessionId().bytes()).bytes(m.clientBinding().bytes()).u64(m.counter());
      w.u64(m.notBeforeMs()).u64(m.notAfterMs()).bytes(m.prevTicketHash().bytes());
    } else if (statement instanceof ProtectedReceipt m) {
      w.bytes(m.sessionId().bytes()).u64(m.gsCounter()).bytes(m.receiptTip().bytes());
      w.bytes(m.digestHash().bytes()).u64(m.notarizedAtMs());
    } else if (statement instanceof Revoke m) {
      w.bytes(m.sessionId().bytes()).u16(m.reasonCode()).u64(m.revokedAtMs());
    } else {
      throw new IllegalArgumentException("unknown statement " + statement);
    }
  }

  private static void writeProof(Writer w, VsProof proof) {
    writeBatchHead(w, proof.batchHead());
    w.bytes(proof.headSignature().bytes());
    w.u32(proof.leafIndex());
    w.u8(proof.auditPath().size());
    for (Hash h : proof.auditPath()) {
      w.bytes(h.bytes());
    }
  }

  private static void writeBatchHead(Writer w, BatchHead h) {
    writeHeader(w, MessageType.BATCH_HEAD);
    w.bytes(h.keyId().bytes()).u64(h.batchSeq()).bytes(h.prevBatchHeadHash().bytes());
    w.u64(h.timeMs()).u32(h.treeSize()).bytes(h.root().bytes());
  }

  private static void writeGsId(Writer w, GsId id) {
    byte[] ascii = id.value().getBytes(StandardCharsets.US_ASCII);
    w.u8(ascii.length).raw(ascii);
  }

  private static void writePositions(Writer w, List<PlayerPosition> positions) {
    w.u16(positions.size());
    for (PlayerPosition p : positions) {
      w.bytes(p.player().bytes()).i32(p.position().x()).i32(p.position().y());
    }
  }

  private static void writeNested(Writer w, Frame frame) {
    byte[] nested = encode(frame);
    w.u16(nested.length).raw(nested);
  }

  // ---------------------------------------------------------------------------------------------
  // Decoding

  /** Decodes one frame of any type. */
  public static Frame decode(byte[] frame) throws Rejection {
    return decode(frame, null);
  }

  /**
   * Decodes a frame that must carry a body of type {@code bodyType}.
   *
   * @throws Rejection with {@link Reason#UNEXPECTED_TYPE} when the frame holds another type
   */
  public static <B extends SignedBody> Signed<B> decodeSigned(byte[] frame, Class<B> bodyType)
      throws Rejection {
    Signed<?> signed = (Signed<?>) decode(frame, expectedType(bodyType));
    return new Signed<>(bodyType.cast(signed.body()), signed.signature());
  }

  /**
   * Decodes a frame that must carry a VS statement of type {@code statementType}.
   *
   * @throws Rejection with {@link Reason#UNEXPECTED_TYPE} when the frame holds another type
   */
  public static <S extends VsStatement> Attested<S> decodeAttested(
      byte[] frame, Class<S> statementType) throws Rejection {
    Attested<?> attested = (Attested<?>) decode(frame, expectedType(statementType));
    return new Attested<>(statementType.cast(attested.statement()), attested.proof());
  }

  /** Decodes a {@value #BATCH_HEAD_LENGTH}-byte batch head. */
  public static BatchHead decodeBatchHead(byte[] encoded) throws Rejection {
    Reader r = new Reader(encoded, 0, encoded.length);
    BatchHead head = readBatchHead(r);
    r.expectEnd();
    return head;
  }

  private static MessageType expectedType(Class<?> type) {
    MessageType t = TYPE_OF.get(type);
    if (t == null) {
      throw new IllegalArgumentException("not a message class: " + type);
    }
    return t;
  }

  private static Frame decode(byte[] frame, MessageType expected) throws Rejection {
    if (frame.length > Limits.MAX_FRAME_BYTES) {
      throw new Rejection(Reason.FRAME_TOO_LARGE, frame.length + " bytes");
    }
    Reader r = new Reader(frame, 0, frame.length);
    MessageType type = readHeader(r);
    if (expected != null && type != expected) {
      throw new Rejection(Reason.UNEXPECTED_TYPE, "expected " + expected + ", got " + type);
    }
    Frame result;
    switch (type.authentication()) {
      case VS_PROOF -> {
        VsStatement statement = readStatement(type, r);
        VsProof proof = readProof(r);
        result = new Attested<>(statement, proof);
      }
      case GS_KEY, SESSION_KEY, CLIENT_KEY -> {
        SignedBody body = readBody(type, r);
        Ed25519Signature signature = new Ed25519Signature(r.fixed(Ed25519Signature.LENGTH));
        result = new Signed<>(body, signature);
      }
      default -> throw new Rejection(Reason.UNEXPECTED_TYPE, type + " is not a frame");
    }
    r.expectEnd();
    return result;
  }

  private static MessageType readHeader(Reader r) throws Rejection {
    int version = r.u8();
    if (version != VERSION) {
      throw new Rejection(Reason.UNSUPPORTED_VERSION, "version " + version);
    }
    int code = r.u8();
    MessageType type = MessageType.fromCode(code);
    if (type == null) {
      throw new Rejection(Reason.UNKNOWN_TYPE, "type 0x" + Integer.toHexString(code));
    }
    return type;
  }

  private static SignedBody readBody(MessageType type, Reader r) throws Rejection {
    switch (type) {
      case JOIN_REQUEST -> {
        GsId gsId = readGsId(r);
        Ed25519PublicKey sessionKey = readKey(r);
        Hash swHash = readHash(r);
        long time = r.u63("gs_time_ms");
        JoinNonce nonce = new JoinNonce(r.fixed(JoinNonce.LENGTH));
        return build(() -> new JoinRequest(gsId, sessionKey, swHash, time, nonce));
      }
      case RESUME_REQUEST -> {
        SessionId session = readSessionId(r);
        long counter = r.u63("gs_counter");
        long time = r.u63("gs_time_ms");
        return build(() -> new ResumeRequest(session, counter, time));
      }
      case HEARTBEAT -> {
        SessionId session = readSessionId(r);
        long counter = r.u63("gs_counter");
        long time = r.u63("gs_time_ms");
        Hash tip = readHash(r);
        Hash swHash = readHash(r);
        return build(() -> new Heartbeat(session, counter, time, tip, swHash));
      }
      case TRANSCRIPT_DIGEST -> {
        SessionId session = readSessionId(r);
        long counter = r.u63("gs_counter");
        long tick = r.u63("tick");
        long time = r.u63("gs_time_ms");
        Hash tip = readHash(r);
        List<PlayerPosition> positions = readPositions(r);
        return build(() -> new TranscriptDigest(session, counter, tick, time, tip, positions));
      }
      case CLIENT_HELLO -> {
        Ed25519PublicKey key = readKey(r);
        Challenge challenge = new Challenge(r.fixed(Challenge.LENGTH));
        long time = r.u63("client_time_ms");
        GsId gsId = readGsId(r);
        return build(() -> new ClientHello(key, challenge, time, gsId));
      }
      case SERVER_HELLO -> {
        Ed25519PublicKey key = readKey(r);
        Challenge challenge = new Challenge(r.fixed(Challenge.LENGTH));
        Attested<JoinAccept> accept = readNested(r, JoinAccept.class);
        int count = r.u8();
        if (count < 1 || count > Limits.MAX_HELLO_TICKETS) {
          throw new Rejection(Reason.LENGTH_OUT_OF_RANGE, count + " tickets in a ServerHello");
        }
        List<Attested<PlayTicket>> tickets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          tickets.add(readNested(r, PlayTicket.class));
        }
        return build(() -> new ServerHello(key, challenge, accept, tickets));
      }
      case CLIENT_INPUT -> {
        SessionId session = readSessionId(r);
        long ticketCounter = r.u63("ticket_counter");
        Hash ticketHash = readHash(r);
        long nonce = r.u63("client_nonce");
        Vec2 move = new Vec2(r.i32(), r.i32());
        int actions = r.i32();
        return build(
            () -> new ClientInput(session, ticketCounter, ticketHash, nonce, move, actions));
      }
      case WORLD_SNAPSHOT -> {
        SessionId session = readSessionId(r);
        long tick = r.u63("tick");
        List<PlayerPosition> positions = readPositions(r);
        Optional<Attested<ProtectedReceipt>> receipt = readOptionalReceipt(r);
        return build(() -> new WorldSnapshot(session, tick, positions, receipt));
      }
      default -> throw new IllegalStateException("not a signed type: " + type);
    }
  }

  private static VsStatement readStatement(MessageType type, Reader r) throws Rejection {
    switch (type) {
      case JOIN_ACCEPT -> {
        SessionId session = readSessionId(r);
        GsId gsId = readGsId(r);
        Ed25519PublicKey sessionKey = readKey(r);
        Hash swHash = readHash(r);
        Hash requestHash = readHash(r);
        long issuedAt = r.u63("issued_at_ms");
        long heartbeat = r.u32();
        long ticketInterval = r.u32();
        long ticketLifetime = r.u32();
        GameRules rules = readRules(r);
        return build(
            () ->
                new JoinAccept(
                    session,
                    gsId,
                    sessionKey,
                    swHash,
                    requestHash,
                    issuedAt,
                    heartbeat,
                    ticketInterval,
                    ticketLifetime,
                    rules));
      }
      case PLAY_TICKET -> {
        SessionId session = readSessionId(r);
        Hash binding = readHash(r);
        long counter = r.u63("counter");
        long notBefore = r.u63("not_before_ms");
        long notAfter = r.u63("not_after_ms");
        Hash prev = readHash(r);
        return build(() -> new PlayTicket(session, binding, counter, notBefore, notAfter, prev));
      }
      case PROTECTED_RECEIPT -> {
        SessionId session = readSessionId(r);
        long counter = r.u63("gs_counter");
        Hash tip = readHash(r);
        Hash digest = readHash(r);
        long at = r.u63("notarized_at_ms");
        return build(() -> new ProtectedReceipt(session, counter, tip, digest, at));
      }
      case REVOKE -> {
        SessionId session = readSessionId(r);
        int code = r.u16();
        long at = r.u63("revoked_at_ms");
        return build(() -> new Revoke(session, code, at));
      }
      default -> throw new IllegalStateException("not a statement type: " + type);
    }
  }

  private static VsProof readProof(Reader r) throws Rejection {
    BatchHead head = readBatchHead(r);
    EcdsaP256Signature signature = new EcdsaP256Signature(r.fixed(EcdsaP256Signature.LENGTH));
    long leafIndex = r.u32();
    // Checked before path_length is read, as protocol.md section 2 orders it.
    if (leafIndex >= head.treeSize()) {
      throw new Rejection(
          Reason.VALUE_OUT_OF_RANGE,
          "leaf index " + leafIndex + " outside tree of size " + head.treeSize());
    }
    int pathLength = r.u8();
    if (pathLength > Limits.MAX_AUDIT_PATH) {
      throw new Rejection(Reason.LENGTH_OUT_OF_RANGE, "audit path of " + pathLength + " hashes");
    }
    List<Hash> path = new ArrayList<>(pathLength);
    for (int i = 0; i < pathLength; i++) {
      path.add(readHash(r));
    }
    return build(() -> new VsProof(head, signature, leafIndex, path));
  }

  private static BatchHead readBatchHead(Reader r) throws Rejection {
    MessageType type = readHeader(r);
    if (type != MessageType.BATCH_HEAD) {
      throw new Rejection(Reason.UNEXPECTED_TYPE, "expected a batch head, got " + type);
    }
    KeyId keyId = new KeyId(r.fixed(KeyId.LENGTH));
    long seq = r.u63("batch_seq");
    Hash prev = readHash(r);
    long time = r.u63("time_ms");
    long treeSize = r.u32();
    Hash root = readHash(r);
    return build(() -> new BatchHead(keyId, seq, prev, time, treeSize, root));
  }

  private static GameRules readRules(Reader r) throws Rejection {
    int tickRate = r.u16();
    long maxSpeed = r.u32();
    int minX = r.i32();
    int minY = r.i32();
    int maxX = r.i32();
    int maxY = r.i32();
    if (maxSpeed > Integer.MAX_VALUE) {
      throw new Rejection(Reason.VALUE_OUT_OF_RANGE, "max_speed exceeds 2^31-1");
    }
    return build(() -> new GameRules(tickRate, (int) maxSpeed, new Bounds(minX, minY, maxX, maxY)));
  }

  private static GsId readGsId(Reader r) throws Rejection {
    int length = r.u8();
    if (length < 1 || length > Limits.MAX_GS_ID_LENGTH) {
      throw new Rejection(Reason.LENGTH_OUT_OF_RANGE, "gs_id of " + length + " bytes");
    }
    String value = new String(r.raw(length), StandardCharsets.US_ASCII);
    return build(() -> new GsId(value));
  }

  private static List<PlayerPosition> readPositions(Reader r) throws Rejection {
    int count = r.u16();
    if (count > Limits.MAX_POSITIONS) {
      throw new Rejection(Reason.LENGTH_OUT_OF_RANGE, count + " positions");
    }
    if (r.remaining() < count * POSITION_LENGTH) {
      throw new Rejection(Reason.TRUNCATED, count + " positions announced, bytes for fewer");
    }
    List<PlayerPosition> positions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Ed25519PublicKey player = readKey(r);
      positions.add(new PlayerPosition(player, new Vec2(r.i32(), r.i32())));
    }
    return positions;
  }

  private static Optional<Attested<ProtectedReceipt>> readOptionalReceipt(Reader r)
      throws Rejection {
    int present = r.u8();
    return switch (present) {
      case 0 -> Optional.empty();
      case 1 -> Optional.of(readNested(r, ProtectedReceipt.class));
      default -> throw new Rejection(Reason.VALUE_OUT_OF_RANGE, "presence flag " + present);
    };
  }

  private static <S extends VsStatement> Attested<S> readNested(Reader r, Class<S> type)
      throws Rejection {
    int length = r.u16();
    return decodeAttested(r.raw(length), type);
  }

  private static SessionId readSessionId(Reader r) throws Rejection {
    return new SessionId(r.fixed(SessionId.LENGTH));
  }

  private static Ed25519PublicKey readKey(Reader r) throws Rejection {
    return new Ed25519PublicKey(r.fixed(Ed25519PublicKey.LENGTH));
  }

  private static Hash readHash(Reader r) throws Rejection {
    return new Hash(r.fixed(Hash.LENGTH));
  }

  /** Runs a record constructor, turning its range checks into the codec's rejection. */
  private static <T> T build(Supplier<T> constructor) throws Rejection {
    try {
      return constructor.get();
    } catch (IllegalArgumentException e) {
      throw new Rejection(Reason.VALUE_OUT_OF_RANGE, e.getMessage());
    }
  }
}
