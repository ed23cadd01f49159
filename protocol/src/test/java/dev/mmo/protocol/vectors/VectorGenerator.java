package dev.mmo.protocol.vectors;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.bytes.Hex;
import dev.mmo.protocol.chain.ReceiptTip;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.crypto.SigningException;
import dev.mmo.protocol.merkle.Merkle;
import dev.mmo.protocol.merkle.MerkleTree;
import dev.mmo.protocol.testing.Edwards25519;
import dev.mmo.protocol.testing.Messages;
import dev.mmo.protocol.testing.Render;
import dev.mmo.protocol.testing.Scenario;
import dev.mmo.protocol.testing.TestKeys;
import dev.mmo.protocol.trust.BatchSealer;
import dev.mmo.protocol.trust.SealedBatch;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.MessageType;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.VsProof;
import dev.mmo.protocol.wire.VsStatement;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the golden vectors under {@code protocol/src/test/resources/vectors/} ({@code make
 * vectors}). Deterministic: Ed25519 is deterministic and the test VS key signs per RFC 6979, so
 * running it again gives the same files, which {@code VectorFilesTest} checks.
 *
 * <p>Every negative vector states the reason it must be rejected with, chosen by construction here,
 * not by asking the codec.
 */
public final class VectorGenerator {
  static final String SCHEMA = "mmo-vectors/1";
  static final String GENERATOR =
      "protocol/src/test/java/dev/mmo/protocol/vectors/VectorGenerator.java";
  static final List<Integer> MERKLE_SIZES = List.of(1, 2, 3, 7, 8, 9, 1000);

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final int SIGNATURE_LENGTH = 64;

  private final Scenario s = new Scenario();

  /**
   * Writes the vectors and the fuzz seeds below {@code args[0]} (default:
   * protocol/src/test/resources).
   */
  public static void main(String[] args) throws IOException {
    Path resources = Path.of(args.length > 0 ? args[0] : "protocol/src/test/resources");
    VectorGenerator generator = new VectorGenerator();
    Path vectors = resources.resolve("vectors");
    Files.createDirectories(vectors);
    for (Map.Entry<String, String> file : generator.generateAll().entrySet()) {
      Files.writeString(vectors.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
    }
    for (Map.Entry<String, byte[]> seed : generator.generateSeeds().entrySet()) {
      Path path = resources.resolve(seed.getKey());
      Files.createDirectories(path.getParent());
      Files.write(path, seed.getValue());
    }
    System.out.println("wrote vectors and fuzz seeds below " + resources);
  }

  /**
   * Seed inputs for the fuzz targets, by resource path: every valid frame of the golden vectors, so
   * the fuzzers start from deep, well-formed structures.
   */
  public Map<String, byte[]> generateSeeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    String fuzz = "dev/mmo/protocol/fuzz/";
    MessageType[] frameTypes =
        Arrays.stream(MessageType.values())
            .filter(t -> t != MessageType.BATCH_HEAD)
            .toArray(MessageType[]::new);
    for (int i = 0; i < frameTypes.length; i++) {
      MessageType type = frameTypes[i];
      byte[] frame = Codec.encode(validFrame(type));
      String name = Messages.fileName(type).replace(".json", "");
      seeds.put(fuzz + "AnyFrameFuzzTestInputs/" + name, frame);
      seeds.put(fuzz + "TypedFrameFuzzTestInputs/" + name, concat(new byte[] {(byte) i}, frame));
    }
    for (int i = 0; i < s.batchHeads().size(); i++) {
      byte[] signature =
          (i == 0 ? s.batch0 : i == 1 ? s.batch1 : s.batch2).signature().bytes().toByteArray();
      seeds.put(
          fuzz + "BatchHeadFuzzTestInputs/batch-" + i,
          concat(signature, Codec.encodeBatchHead(s.batchHeads().get(i))));
    }
    byte[] der = TestKeys.VS_ROOT.sign(new byte[] {1}).toDer();
    seeds.put(fuzz + "KeyEncodingFuzzTestInputs/der-signature", concat(new byte[] {0}, der));
    seeds.put(
        fuzz + "KeyEncodingFuzzTestInputs/spki",
        concat(new byte[] {1}, s.vsRoot.publicKey().spkiDer()));
    return seeds;
  }

  /** File name to file content, for every generated file. */
  public Map<String, String> generateAll() {
    try {
      Map<String, String> files = new LinkedHashMap<>();
      for (MessageType type : MessageType.values()) {
        if (type == MessageType.BATCH_HEAD) {
          files.put("batch-head.json", write(batchHeadFile()));
        } else {
          files.put(Messages.fileName(type), write(messageFile(type)));
        }
      }
      files.put("codec.json", write(codecFile()));
      files.put("merkle.json", write(merkleFile()));
      files.put("ticket-chains.json", write(ticketChainFile()));
      files.put("receipt-tip.json", write(receiptTipFile()));
      return files;
    } catch (SigningException e) {
      throw new IllegalStateException("a software signer cannot fail", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One file per message type

  private ObjectNode messageFile(MessageType type) throws SigningException {
    Frame valid = validFrame(type);
    byte[] frame = Codec.encode(valid);
    ObjectNode file = header(type);
    ArrayNode vectors = file.putArray("vectors");
    Ed25519KeyPair key = signingKey(type);
    if (key != null) {
      file.put("verify_key", key.publicKey().hex());
    }

    ObjectNode ok = vector(vectors, "valid", frame, "OK", "a valid frame");
    ok.set(
        "fields",
        Render.of(valid instanceof Signed<?> sg ? sg.body() : ((Attested<?>) valid).statement()));
    if (valid instanceof Attested<?> a) {
      ok.set("proof", Render.of(a.proof()));
    } else {
      ok.put("signature", ((Signed<?>) valid).signature().bytes().hex());
    }

    int bodyOffset = type == MessageType.JOIN_REQUEST ? 3 : 2;
    if (key != null) {
      vector(
          vectors,
          "bit-flip-body",
          flip(frame, bodyOffset, 0),
          "BAD_SIGNATURE",
          "bit 0 of byte " + bodyOffset + " (inside the first data field of the body) flipped");
      vector(
          vectors,
          "bit-flip-signature",
          flip(frame, frame.length - SIGNATURE_LENGTH, 0),
          "BAD_SIGNATURE",
          "bit 0 of the signature's first byte flipped");
      byte[] unsigned = Arrays.copyOf(frame, frame.length - SIGNATURE_LENGTH);
      MessageType other = otherType(type);
      vector(
          vectors,
          "wrong-domain-label",
          Scenario.signRaw(unsigned, other.domainLabel(), key),
          "BAD_SIGNATURE",
          "body signed by the right key under the label \"" + other.labelText() + "\"");
      vector(
          vectors,
          "wrong-key",
          Scenario.signRaw(unsigned, type.domainLabel(), TestKeys.STRANGER),
          "BAD_SIGNATURE",
          "signed under the right label by a key that is not the verify key");
    } else {
      Attested<?> attested = (Attested<?>) valid;
      int proofStart = proofStart(attested.statement());
      vector(
          vectors,
          "bit-flip-body",
          flip(frame, bodyOffset, 0),
          "BAD_PROOF",
          "bit 0 of byte 2 (session_id) flipped: the leaf no longer hashes to the signed root");
      vector(
          vectors,
          "bit-flip-signature",
          flip(frame, proofStart + Codec.BATCH_HEAD_LENGTH, 0),
          "BAD_SIGNATURE",
          "bit 0 of the first byte of the batch head signature (r) flipped");
      MessageType other = otherType(type);
      vector(
          vectors,
          "wrong-domain-label",
          provenUnder(attested.statement(), other.domainLabel()),
          "BAD_PROOF",
          "the batch's leaf was computed with the label \"" + other.labelText() + "\"");
      vector(
          vectors,
          "unknown-vs-key",
          Codec.encode(sealWith(attested.statement(), new Scenario(TestKeys.VS_ROOT_UNTRUSTED))),
          "UNKNOWN_VS_KEY",
          "a valid proof under a batch head signed by a VS key outside the trust anchors");
      vector(
          vectors,
          "high-s-signature",
          withHighS(frame, proofStart + Codec.BATCH_HEAD_LENGTH),
          "BAD_SIGNATURE",
          "the batch head signature with s replaced by n - s: valid ECDSA, but not the canonical low-S form");
    }
    vector(
        vectors,
        "truncated",
        Arrays.copyOf(frame, frame.length - 1),
        "TRUNCATED",
        "the last byte removed");
    vector(
        vectors,
        "trailing-byte",
        Arrays.copyOf(frame, frame.length + 1),
        "TRAILING_BYTES",
        "a zero byte appended");
    vector(vectors, "wrong-version", set(frame, 0, 2), "UNSUPPORTED_VERSION", "version byte 2");
    vector(
        vectors,
        "wrong-type",
        set(frame, 1, otherType(type).code()),
        "UNEXPECTED_TYPE",
        "type byte of " + otherType(type) + " where " + type + " is expected");
    typeSpecific(type, vectors, frame);
    return file;
  }

  private void typeSpecific(MessageType type, ArrayNode vectors, byte[] frame)
      throws SigningException {
    switch (type) {
      case JOIN_REQUEST -> {
        // gs_id "gs-1" sits at bytes 3..6 after its length byte at 2.
        vector(
            vectors,
            "gs-id-leading-dash",
            resign(set(frame, 3, '-'), type, TestKeys.GS_LONG_TERM),
            "VALUE_OUT_OF_RANGE",
            "gs_id \"-s-1\": the first character must be a letter or digit (re-signed)");
        byte[] longId = new byte[65];
        Arrays.fill(longId, (byte) 'a');
        vector(
            vectors,
            "gs-id-65-characters",
            resign(
                concat(
                    Arrays.copyOf(frame, 2),
                    new byte[] {65},
                    longId,
                    Arrays.copyOfRange(frame, 7, frame.length)),
                type,
                TestKeys.GS_LONG_TERM),
            "LENGTH_OUT_OF_RANGE",
            "gs_id of 65 characters (re-signed)");
        byte[] upper = set(frame, 3, 'G');
        vector(
            vectors,
            "gs-id-bad-character",
            resign(upper, type, TestKeys.GS_LONG_TERM),
            "VALUE_OUT_OF_RANGE",
            "gs_id \"Gs-1\": upper case is outside [a-z0-9._-] (re-signed)");
        byte[] empty =
            concat(
                Arrays.copyOfRange(frame, 0, 2),
                new byte[] {0},
                Arrays.copyOfRange(frame, 7, frame.length));
        vector(
            vectors,
            "gs-id-empty",
            resign(empty, type, TestKeys.GS_LONG_TERM),
            "LENGTH_OUT_OF_RANGE",
            "gs_id of length 0 (re-signed)");
        int timeOffset = 2 + 5 + 32 + 32;
        vector(
            vectors,
            "time-top-bit-set",
            resign(set(frame, timeOffset, 0x80), type, TestKeys.GS_LONG_TERM),
            "VALUE_OUT_OF_RANGE",
            "gs_time_ms with its top bit set (re-signed)");
      }
      case CLIENT_HELLO -> hostileClientKeys(vectors, frame);
      case CLIENT_INPUT -> {
        byte[] zeroNonce = frame.clone();
        Arrays.fill(zeroNonce, 58, 66, (byte) 0);
        vector(
            vectors,
            "nonce-zero",
            resign(zeroNonce, type, TestKeys.CLIENT_A),
            "VALUE_OUT_OF_RANGE",
            "client_nonce 0: nonces start at 1 (re-signed)");
        byte[] cofactored = cofactoredOnlySignature(frame);
        ObjectNode accepted =
            vector(
                vectors,
                "cofactored-equation-only",
                cofactored,
                "OK",
                "R carries an added point of order 8: the signature satisfies RFC 8032's cofactored "
                    + "equation [8][S]B = [8]R + [8][k]A, which this protocol uses, but not the "
                    + "cofactorless one (OpenSSL and libsodium reject it)");
        accepted.set("fields", Render.of(s.inputs.get(0).body()));
        accepted.put(
            "signature",
            Hex.encode(Arrays.copyOfRange(cofactored, cofactored.length - 64, cofactored.length)));
        vector(
            vectors,
            "non-canonical-r",
            nonCanonicalR(frame),
            "BAD_SIGNATURE",
            "R encodes y = p + 1 (the neutral element, non-canonically) and S = k·a, so the equation "
                + "holds if R is read leniently; R must be a canonical encoding");
      }
      case TRANSCRIPT_DIGEST -> {
        int positionsAt = 2 + 16 + 8 + 8 + 8 + 32;
        byte[] swapped = frame.clone();
        System.arraycopy(frame, positionsAt + 2, swapped, positionsAt + 2 + 40, 40);
        System.arraycopy(frame, positionsAt + 2 + 40, swapped, positionsAt + 2, 40);
        vector(
            vectors,
            "positions-unsorted",
            resign(swapped, type, TestKeys.GS_SESSION),
            "VALUE_OUT_OF_RANGE",
            "the two positions in descending key order (re-signed)");
        byte[] duplicated = frame.clone();
        System.arraycopy(frame, positionsAt + 2, duplicated, positionsAt + 2 + 40, 40);
        vector(
            vectors,
            "positions-duplicate",
            resign(duplicated, type, TestKeys.GS_SESSION),
            "VALUE_OUT_OF_RANGE",
            "the same player twice (re-signed)");
        byte[] tooMany = set(set(frame, positionsAt, 0x04), positionsAt + 1, 0x01);
        vector(
            vectors,
            "positions-count-over-limit",
            resign(tooMany, type, TestKeys.GS_SESSION),
            "LENGTH_OUT_OF_RANGE",
            "position count 1025 (re-signed)");
      }
      case SERVER_HELLO -> {
        int acceptLengthAt = 2 + 32 + 32;
        int acceptLength =
            ((frame[acceptLengthAt] & 0xFF) << 8) | (frame[acceptLengthAt + 1] & 0xFF);
        int countAt = acceptLengthAt + 2 + acceptLength;
        byte[] noTickets =
            concat(Arrays.copyOf(frame, countAt), new byte[] {0}, new byte[SIGNATURE_LENGTH]);
        vector(
            vectors,
            "zero-tickets",
            resign(noTickets, type, TestKeys.GS_SESSION),
            "LENGTH_OUT_OF_RANGE",
            "ticket count 0 (re-signed)");
        byte[] forged = flip(frame, countAt + 1 + 2 + 2, 0);
        vector(
            vectors,
            "nested-ticket-forged",
            resign(forged, type, TestKeys.GS_SESSION),
            "BAD_PROOF",
            "the first ticket's session_id edited after the VS proved it; the hello is re-signed, so only its proof fails");
        vector(
            vectors,
            "join-accept-forged-not-resigned",
            flip(frame, 2 + 32 + 32 + 2 + 2, 0),
            "BAD_PROOF",
            "the JoinAccept's session_id edited and the hello not re-signed: the JoinAccept proof is "
                + "checked before the signature");
        vector(
            vectors,
            "ticket-forged-not-resigned",
            forged,
            "BAD_SIGNATURE",
            "the first ticket's session_id edited and the hello not re-signed: the signature is "
                + "checked before the tickets' proofs");
        byte[] swappedType = set(frame, countAt + 1 + 2 + 1, MessageType.REVOKE.code());
        vector(
            vectors,
            "nested-wrong-type",
            resign(swappedType, type, TestKeys.GS_SESSION),
            "UNEXPECTED_TYPE",
            "the first ticket's type byte says REVOKE (re-signed)");
      }
      case WORLD_SNAPSHOT -> {
        int flagAt = 2 + 16 + 8 + 2 + 2 * 40;
        int receiptSessionAt = flagAt + 1 + 2 + 2;
        vector(
            vectors,
            "receipt-forged-not-resigned",
            flip(frame, receiptSessionAt, 0),
            "BAD_SIGNATURE",
            "the embedded receipt's session_id edited, the snapshot not re-signed: the signature is "
                + "checked before the receipt's proof");
        vector(
            vectors,
            "receipt-forged-resigned",
            resign(flip(frame, receiptSessionAt, 0), type, TestKeys.GS_SESSION),
            "BAD_PROOF",
            "the embedded receipt's session_id edited and the snapshot re-signed: only the proof fails");
        vector(
            vectors,
            "presence-flag-2",
            resign(set(frame, flagAt, 2), type, TestKeys.GS_SESSION),
            "VALUE_OUT_OF_RANGE",
            "latest_receipt presence flag 2 (re-signed)");
      }
      case PLAY_TICKET -> {
        byte[] body = statementFrame(s.tickets.get(0).statement());
        int notAfterAt = 2 + 16 + 32 + 8 + 8;
        byte[] inverted = body.clone();
        System.arraycopy(body, 2 + 16 + 32 + 8, inverted, notAfterAt, 8); // not_after := not_before
        vector(
            vectors,
            "not-after-not-later",
            provenRaw(inverted, MessageType.PLAY_TICKET.domainLabel()),
            "VALUE_OUT_OF_RANGE",
            "not_after_ms equal to not_before_ms, correctly proven by the VS key");
        PlayTicket bound =
            new PlayTicket(
                Scenario.SESSION,
                Sha256.hash(new byte[] {1}),
                9,
                Scenario.T0,
                Scenario.T0 + 5_000,
                Hash.ZERO);
        positive(
            vectors,
            "client-binding-ignored",
            sealWith(bound, s),
            "a non-zero client_binding, correctly proven: version-1 receivers accept and ignore it");
        Attested<PlayTicket> inBatch = s.tickets.get(1); // leaf 0 of a 3-leaf batch: path of 2
        byte[] f = Codec.encode(inBatch);
        int pathCountAt = proofStart(inBatch.statement()) + Codec.BATCH_HEAD_LENGTH + 64 + 4;
        byte[] shortPath =
            concat(
                set(Arrays.copyOf(f, pathCountAt + 1), pathCountAt, 1),
                Arrays.copyOfRange(f, pathCountAt + 1, pathCountAt + 1 + 32));
        vector(
            vectors,
            "audit-path-too-short",
            shortPath,
            "BAD_PROOF",
            "ticket 2 (leaf 0 of 3) with only the first of its two audit path hashes");
        byte[] badIndex = set(f, pathCountAt - 1, 3);
        vector(
            vectors,
            "leaf-index-outside-tree",
            badIndex,
            "VALUE_OUT_OF_RANGE",
            "leaf_index 3 in a batch of tree_size 3");
        byte[] wrongIndex = set(f, pathCountAt - 1, 1);
        vector(
            vectors,
            "wrong-leaf-index",
            wrongIndex,
            "BAD_PROOF",
            "ticket 2 claims leaf_index 1 with leaf 0's audit path");
        byte[] longPath = set(f, pathCountAt, 33);
        vector(
            vectors,
            "audit-path-count-over-limit",
            longPath,
            "LENGTH_OUT_OF_RANGE",
            "audit path count 33 (at most 32)");
        vector(
            vectors,
            "leaf-index-outside-tree-and-path-count-over-limit",
            set(badIndex, pathCountAt, 33),
            "VALUE_OUT_OF_RANGE",
            "leaf_index 3 in a batch of tree_size 3 and audit path count 33: leaf_index is checked "
                + "as soon as it is read, before path_length");
        vector(
            vectors,
            "leaf-index-outside-tree-and-path-truncated",
            Arrays.copyOf(badIndex, badIndex.length - 32),
            "VALUE_OUT_OF_RANGE",
            "leaf_index 3 in a batch of tree_size 3 and the second of two audit path hashes "
                + "missing: leaf_index is checked as soon as it is read, before the path");
      }
      case REVOKE -> {
        byte[] body = statementFrame(s.revoke.statement());
        Revoke unknownReason =
            new Revoke(Scenario.SESSION, 999, s.revoke.statement().revokedAtMs());
        positive(
            vectors,
            "reason-code-unknown-accepted",
            sealWith(unknownReason, s),
            "reason code 999, which version 1 does not name, correctly proven: a revoke is obeyed "
                + "whatever its reason");
        byte[] tooHigh = set(set(body, 2 + 16, 0x03), 2 + 16 + 1, 0xE8); // 1000
        vector(
            vectors,
            "reason-code-1000",
            provenRaw(tooHigh, MessageType.REVOKE.domainLabel()),
            "VALUE_OUT_OF_RANGE",
            "reason code 1000: 4000 + code would not be a WebSocket close status");
        byte[] zero = set(set(body, 2 + 16, 0), 2 + 16 + 1, 0);
        vector(
            vectors,
            "reason-code-zero",
            provenRaw(zero, MessageType.REVOKE.domainLabel()),
            "VALUE_OUT_OF_RANGE",
            "reason code 0, correctly proven by the VS key");
      }
      case JOIN_ACCEPT -> {
        byte[] body = statementFrame(s.joinAcceptStatement);
        int rulesAt = 2 + 16 + 5 + 32 + 32 + 32 + 8 + 4 + 4 + 4;
        vector(
            vectors,
            "tick-rate-zero",
            provenRaw(
                set(set(body, rulesAt, 0), rulesAt + 1, 0), MessageType.JOIN_ACCEPT.domainLabel()),
            "VALUE_OUT_OF_RANGE",
            "rules with tick_rate_hz 0, correctly proven by the VS key");
        int intervalAt = 2 + 16 + 5 + 32 + 32 + 32 + 8 + 4;
        byte[] sameLifetime = body.clone();
        System.arraycopy(body, intervalAt, sameLifetime, intervalAt + 4, 4);
        vector(
            vectors,
            "lifetime-not-above-interval",
            provenRaw(sameLifetime, MessageType.JOIN_ACCEPT.domainLabel()),
            "VALUE_OUT_OF_RANGE",
            "ticket_lifetime_ms equal to ticket_interval_ms, correctly proven by the VS key");
      }
      default -> {
        // The common vectors cover these types.
      }
    }
  }

  /** An extra valid vector for an attested frame, with its fields and proof. */
  private static void positive(ArrayNode vectors, String name, Attested<?> frame, String why) {
    ObjectNode v = vector(vectors, name, Codec.encode(frame), "OK", why);
    v.set("fields", Render.of(frame.statement()));
    v.set("proof", Render.of(frame.proof()));
  }

  /** Header and body of a statement, without the label: a frame without its proof. */
  private static byte[] statementFrame(VsStatement statement) {
    byte[] bytes = Codec.statementBytes(statement);
    return Arrays.copyOfRange(bytes, statement.type().domainLabel().length, bytes.length);
  }

  /**
   * ClientHellos whose key a verifier must refuse before looking at the signature, each with a
   * signature that a verifier skipping that check would accept.
   */
  private void hostileClientKeys(ArrayNode vectors, byte[] frame) {
    byte[] identity = new byte[32];
    identity[0] = 1; // y = 1, x = 0: the neutral element, order 1
    // With A = O the cofactorless equation [S]B = R + [k]A holds for R = B, S = 1 and any message.
    byte[] universal = concat(Edwards25519.encode(Edwards25519.BASE), le32(1));
    byte[] forged = withKey(frame, identity);
    System.arraycopy(universal, 0, forged, forged.length - SIGNATURE_LENGTH, SIGNATURE_LENGTH);
    check(laxVerify(identity, Arrays.copyOf(forged, forged.length - SIGNATURE_LENGTH), universal));
    vector(
            vectors,
            "small-order-key-universal-forgery",
            forged,
            "BAD_KEY",
            "client_key is the identity point and the signature (R = B, S = 1) verifies under it for "
                + "any message unless the key is refused")
        .put("verify_key", Hex.encode(identity));

    // A + T, T of order 8: outside the prime-order subgroup. The signature uses A's secret with a
    // message chosen so that 8 divides k, so the torsion part cancels in a cofactorless check.
    Edwards25519.Point t8 = torsion8();
    byte[] mixed =
        Edwards25519.encode(
            Edwards25519.add(
                Edwards25519.decode(TestKeys.CLIENT_A.publicKey().bytes().toByteArray()), t8));
    for (int attempt = 0; ; attempt++) {
      byte[] unsigned = withKey(frame, mixed);
      byte[] challenge =
          Sha256.digest(("mixed-order challenge " + attempt).getBytes(StandardCharsets.US_ASCII));
      System.arraycopy(challenge, 0, unsigned, 2 + 32, 32);
      unsigned = Arrays.copyOf(unsigned, unsigned.length - SIGNATURE_LENGTH);
      byte[] message = concat(MessageType.CLIENT_HELLO.domainLabel(), unsigned);
      byte[] signature = new byte[SIGNATURE_LENGTH];
      org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
          TestKeys.CLIENT_A.seed(), 0, mixed, 0, message, 0, message.length, signature, 0);
      if (challengeScalar(signature, mixed, message).mod(BigInteger.valueOf(8)).signum() != 0) {
        continue;
      }
      check(laxVerify(mixed, unsigned, signature));
      vector(
              vectors,
              "mixed-order-key",
              concat(unsigned, signature),
              "BAD_KEY",
              "client_key is a valid key plus a point of order 8; the signature passes a cofactorless "
                  + "check that does not refuse such keys")
          .put("verify_key", Hex.encode(mixed));
      break;
    }

    byte[] nonCanonical =
        Hex.decode("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    vector(
            vectors,
            "non-canonical-key",
            withKey(frame, nonCanonical),
            "BAD_KEY",
            "client_key encodes y = p + 1 (y must be below p)")
        .put("verify_key", Hex.encode(nonCanonical));
  }

  /**
   * A ClientInput signature by client A whose R has a point of order 8 added, with S made for that
   * R: a cofactored verifier accepts it, a cofactorless one does not.
   */
  private static byte[] cofactoredOnlySignature(byte[] clientInputFrame) {
    byte[] unsigned = Arrays.copyOf(clientInputFrame, clientInputFrame.length - SIGNATURE_LENGTH);
    byte[] message = concat(MessageType.CLIENT_INPUT.domainLabel(), unsigned);
    BigInteger a = clientASecretScalar();
    byte[] publicKey = TestKeys.CLIENT_A.publicKey().bytes().toByteArray();
    check(
        Arrays.equals(Edwards25519.encode(Edwards25519.multiply(a, Edwards25519.BASE)), publicKey));
    BigInteger r =
        Edwards25519.scalar(
            sha512("mmo cofactored test nonce".getBytes(StandardCharsets.US_ASCII)));
    Edwards25519.Point rPoint =
        Edwards25519.add(Edwards25519.multiply(r, Edwards25519.BASE), torsion8());
    byte[] rEncoded = Edwards25519.encode(rPoint);
    BigInteger k = challengeScalar(rEncoded, publicKey, message);
    BigInteger sScalar = r.add(k.multiply(a)).mod(Edwards25519.L);
    byte[] signature = concat(rEncoded, littleEndian32(sScalar));
    Edwards25519.Point lhs =
        Edwards25519.add(
            Edwards25519.multiply(sScalar, Edwards25519.BASE),
            Edwards25519.negate(Edwards25519.multiply(k, Edwards25519.decode(publicKey))));
    check(!Arrays.equals(Edwards25519.encode(lhs), rEncoded)); // cofactorless: rejected
    BigInteger eight = BigInteger.valueOf(8);
    check(
        Edwards25519.multiply(eight, lhs)
            .equals(Edwards25519.multiply(eight, rPoint))); // cofactored
    return concat(unsigned, signature);
  }

  /** Client A's signature with R = the non-canonical encoding of O and S = k·a. */
  private static byte[] nonCanonicalR(byte[] clientInputFrame) {
    byte[] unsigned = Arrays.copyOf(clientInputFrame, clientInputFrame.length - SIGNATURE_LENGTH);
    byte[] message = concat(MessageType.CLIENT_INPUT.domainLabel(), unsigned);
    byte[] rEncoded =
        Hex.decode("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    byte[] publicKey = TestKeys.CLIENT_A.publicKey().bytes().toByteArray();
    BigInteger k = challengeScalar(rEncoded, publicKey, message);
    BigInteger sScalar = k.multiply(clientASecretScalar()).mod(Edwards25519.L);
    return concat(unsigned, rEncoded, littleEndian32(sScalar));
  }

  /** Client A's secret scalar a (RFC 8032 section 5.1.5). */
  private static BigInteger clientASecretScalar() {
    byte[] h = sha512(TestKeys.CLIENT_A.seed());
    h[0] &= (byte) 248;
    h[31] &= 127;
    h[31] |= 64;
    return Edwards25519.scalar(Arrays.copyOf(h, 32));
  }

  private static Edwards25519.Point torsion8() {
    Edwards25519.Point t8 =
        Edwards25519.decode(
            Hex.decode("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"));
    check(Edwards25519.multiply(BigInteger.valueOf(8), t8).equals(Edwards25519.IDENTITY));
    check(!Edwards25519.multiply(BigInteger.valueOf(4), t8).equals(Edwards25519.IDENTITY));
    return t8;
  }

  private static byte[] sha512(byte[] data) {
    try {
      return java.security.MessageDigest.getInstance("SHA-512").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] littleEndian32(BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < Math.min(32, be.length); i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  private static byte[] withKey(byte[] clientHello, byte[] key) {
    byte[] out = clientHello.clone();
    System.arraycopy(key, 0, out, 2, 32);
    return out;
  }

  /** k = SHA-512(R || A || M) mod L (RFC 8032 section 5.1.7). */
  private static BigInteger challengeScalar(byte[] signature, byte[] key, byte[] message) {
    try {
      java.security.MessageDigest sha512 = java.security.MessageDigest.getInstance("SHA-512");
      sha512.update(signature, 0, 32);
      sha512.update(key);
      sha512.update(message);
      return Edwards25519.scalar(sha512.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cofactorless check without key validation: encode([S]B - [k]A) == R. */
  private static boolean laxVerify(byte[] key, byte[] unsignedFrame, byte[] signature) {
    byte[] message = concat(MessageType.CLIENT_HELLO.domainLabel(), unsignedFrame);
    BigInteger k = challengeScalar(signature, key, message);
    BigInteger sScalar = Edwards25519.scalar(Arrays.copyOfRange(signature, 32, 64));
    Edwards25519.Point r =
        Edwards25519.add(
            Edwards25519.multiply(sScalar, Edwards25519.BASE),
            Edwards25519.negate(Edwards25519.multiply(k, Edwards25519.decode(key))));
    return Arrays.equals(Edwards25519.encode(r), Arrays.copyOf(signature, 32));
  }

  private static byte[] le32(int value) {
    byte[] out = new byte[32];
    out[0] = (byte) value;
    return out;
  }

  private static void check(boolean condition) {
    if (!condition) {
      throw new IllegalStateException("vector construction failed a self-check");
    }
  }

  private Frame validFrame(MessageType type) {
    return switch (type) {
      case JOIN_REQUEST -> s.joinRequest;
      case JOIN_ACCEPT -> s.joinAccept;
      case RESUME_REQUEST -> s.resumeRequest;
      case PLAY_TICKET -> s.tickets.get(0);
      case HEARTBEAT -> s.heartbeat;
      case TRANSCRIPT_DIGEST -> s.transcriptDigest;
      case PROTECTED_RECEIPT -> s.receipt;
      case REVOKE -> s.revoke;
      case CLIENT_HELLO -> s.clientHello;
      case SERVER_HELLO -> s.serverHello;
      case CLIENT_INPUT -> s.inputs.get(0);
      case WORLD_SNAPSHOT -> s.worldSnapshot;
      case BATCH_HEAD -> throw new IllegalArgumentException("not a frame");
    };
  }

  /** The key that signs a type, or null for VS statements. */
  static Ed25519KeyPair signingKey(MessageType type) {
    return switch (type.authentication()) {
      case GS_KEY -> TestKeys.GS_LONG_TERM;
      case SESSION_KEY -> TestKeys.GS_SESSION;
      case CLIENT_KEY -> TestKeys.CLIENT_A;
      case VS_PROOF, VS_ROOT_KEY -> null;
    };
  }

  /** Another frame type of the same authentication kind, for wrong-label and wrong-type vectors. */
  static MessageType otherType(MessageType type) {
    return switch (type) {
      case JOIN_REQUEST -> MessageType.RESUME_REQUEST;
      case RESUME_REQUEST -> MessageType.HEARTBEAT;
      case HEARTBEAT -> MessageType.TRANSCRIPT_DIGEST;
      case TRANSCRIPT_DIGEST -> MessageType.HEARTBEAT;
      case CLIENT_HELLO -> MessageType.CLIENT_INPUT;
      case SERVER_HELLO -> MessageType.WORLD_SNAPSHOT;
      case CLIENT_INPUT -> MessageType.CLIENT_HELLO;
      case WORLD_SNAPSHOT -> MessageType.SERVER_HELLO;
      case JOIN_ACCEPT -> MessageType.PLAY_TICKET;
      case PLAY_TICKET -> MessageType.PROTECTED_RECEIPT;
      case PROTECTED_RECEIPT -> MessageType.REVOKE;
      case REVOKE -> MessageType.JOIN_ACCEPT;
      case BATCH_HEAD -> MessageType.JOIN_ACCEPT;
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Batch heads

  private ObjectNode batchHeadFile() {
    ObjectNode file = header(MessageType.BATCH_HEAD);
    file.put(
        "check",
        "decode the frame as a batch head (docs/protocol.md section 6.1), then verify signature "
            + "over label || frame with the trust anchors (section 6.4 step 1 and 3)");
    ArrayNode vectors = file.putArray("vectors");
    SealedBatch batch = s.batch1;
    byte[] head = Codec.encodeBatchHead(batch.head());
    String sig = batch.signature().bytes().hex();
    ObjectNode ok = vector(vectors, "valid", head, "OK", "the head of batch 1 (3 leaves)");
    ok.put("signature", sig);
    ok.set("fields", Render.of(batch.head()));
    ok.put("batch_head_hash", Hashes.batchHeadHash(batch.head()).hex());
    vector(
            vectors,
            "bit-flip-body",
            flip(head, 81, 0),
            "BAD_SIGNATURE",
            "bit 0 of time_ms's last byte flipped")
        .put("signature", sig);
    vector(
            vectors,
            "bit-flip-root",
            flip(head, head.length - 1, 0),
            "BAD_SIGNATURE",
            "bit 0 of the root's last byte flipped")
        .put("signature", sig);
    byte[] sigBytes = batch.signature().bytes().toByteArray();
    sigBytes[0] ^= 1;
    vector(
            vectors,
            "bit-flip-signature",
            head,
            "BAD_SIGNATURE",
            "bit 0 of the signature's first byte flipped")
        .put("signature", Hex.encode(sigBytes));
    vector(
            vectors,
            "truncated",
            Arrays.copyOf(head, head.length - 1),
            "TRUNCATED",
            "the last byte removed")
        .put("signature", sig);
    vector(
            vectors,
            "trailing-byte",
            Arrays.copyOf(head, head.length + 1),
            "TRAILING_BYTES",
            "a zero byte appended")
        .put("signature", sig);
    vector(vectors, "wrong-version", set(head, 0, 2), "UNSUPPORTED_VERSION", "version byte 2")
        .put("signature", sig);
    byte[] wrongLabelInput = concat(MessageType.JOIN_ACCEPT.domainLabel(), head);
    vector(
            vectors,
            "wrong-domain-label",
            head,
            "BAD_SIGNATURE",
            "signed by the trusted key over \"mmo/v1/join-accept\" || head instead of the batch-head label")
        .put("signature", TestKeys.VS_ROOT.sign(wrongLabelInput).bytes().hex());
    vector(
            vectors,
            "wrong-type",
            set(head, 1, MessageType.JOIN_ACCEPT.code()),
            "UNEXPECTED_TYPE",
            "type byte of JOIN_ACCEPT")
        .put("signature", sig);
    byte[] firstWithPredecessor = head.clone();
    Arrays.fill(firstWithPredecessor, 34, 42, (byte) 0);
    vector(
            vectors,
            "first-head-with-predecessor",
            firstWithPredecessor,
            "VALUE_OUT_OF_RANGE",
            "batch_seq 0 with a non-zero prev_batch_head_hash")
        .put("signature", sig);
    byte[] emptyTree = head.clone();
    Arrays.fill(emptyTree, 82, 86, (byte) 0);
    vector(vectors, "tree-size-zero", emptyTree, "VALUE_OUT_OF_RANGE", "tree_size 0")
        .put("signature", sig);
    byte[] orphan = head.clone();
    Arrays.fill(orphan, 42, 74, (byte) 0);
    vector(
            vectors,
            "zero-predecessor-after-first",
            orphan,
            "VALUE_OUT_OF_RANGE",
            "batch_seq 1 with a zero prev_batch_head_hash: only batch 0 has no predecessor")
        .put("signature", sig);
    vector(vectors, "high-s-signature", head, "BAD_SIGNATURE", "s replaced by n - s")
        .put("signature", Hex.encode(withHighS(sigBytes(batch.signature()), 0)));
    return file;
  }

  // ---------------------------------------------------------------------------------------------
  // Codec-wide negatives

  private ObjectNode codecFile() {
    ObjectNode file = JSON.objectNode();
    file.put("schema", SCHEMA);
    file.put("generated_by", GENERATOR);
    file.put(
        "check",
        "decode the frame as a frame of any type (docs/protocol.md sections 2 and 3); each vector "
            + "must be rejected with expect");
    ArrayNode vectors = file.putArray("vectors");
    vector(vectors, "empty", new byte[0], "TRUNCATED", "no bytes at all");
    vector(vectors, "version-only", new byte[] {1}, "TRUNCATED", "a version byte and nothing else");
    vector(vectors, "version-0", new byte[] {0, 1}, "UNSUPPORTED_VERSION", "version byte 0");
    vector(
        vectors, "unknown-type", new byte[] {1, 0x7f}, "UNKNOWN_TYPE", "type 0x7f is not defined");
    vector(
        vectors, "unknown-type-0", new byte[] {1, 0}, "UNKNOWN_TYPE", "type 0x00 is not defined");
    vector(
        vectors,
        "batch-head-as-frame",
        Codec.encodeBatchHead(s.batch0.head()),
        "UNEXPECTED_TYPE",
        "a batch head is not a frame on its own");
    byte[] huge = new byte[65_537];
    huge[0] = 1;
    huge[1] = (byte) MessageType.CLIENT_INPUT.code();
    vector(
        vectors,
        "frame-too-large",
        huge,
        "FRAME_TOO_LARGE",
        "65,537 bytes: one more than the limit; refused before any field is read");
    vector(
        vectors,
        "header-only",
        new byte[] {1, (byte) MessageType.CLIENT_INPUT.code()},
        "TRUNCATED",
        "a ClientInput header with no body");
    return file;
  }

  // ---------------------------------------------------------------------------------------------
  // Merkle trees

  private ObjectNode merkleFile() {
    ObjectNode file = JSON.objectNode();
    file.put("schema", SCHEMA);
    file.put("generated_by", GENERATOR);
    file.put(
        "hashing",
        "RFC 9162 section 2.1.1: leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right)");
    file.put(
        "check",
        "for each tree: hash every leaf's data, build the tree, compare the root, and verify every "
            + "leaf's audit path against the root (docs/protocol.md section 6.2); every negative "
            + "proof must fail to prove its root (as a standalone check that is BAD_PROOF; inside a "
            + "frame the decoder already refuses a leaf_index outside the tree)");
    file.put("leaf_data", "leaf i's data is i as a 4-byte big-endian integer");
    ArrayNode trees = file.putArray("trees");
    for (int size : MERKLE_SIZES) {
      List<Hash> leaves = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        leaves.add(Merkle.leafHash(u32(i)));
      }
      MerkleTree tree = MerkleTree.build(leaves);
      ObjectNode t = trees.addObject();
      t.put("tree_size", size);
      t.put("root", tree.root().hex());
      ArrayNode entries = t.putArray("leaves");
      for (int i = 0; i < size; i++) {
        ObjectNode e = entries.addObject();
        e.put("leaf_index", i);
        e.put("data", Hex.encode(u32(i)));
        e.put("leaf_hash", leaves.get(i).hex());
        e.set("audit_path", Render.of(tree.auditPath(i)));
      }
    }
    ArrayNode negatives = file.putArray("negative");
    List<Hash> leaves7 = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      leaves7.add(Merkle.leafHash(u32(i)));
    }
    MerkleTree tree7 = MerkleTree.build(leaves7);
    List<Hash> path3 = tree7.auditPath(3);
    negative(
        negatives,
        "wrong-index",
        4,
        7,
        leaves7.get(3),
        path3,
        tree7.root(),
        "leaf 3's path presented as leaf 4");
    negative(
        negatives,
        "path-too-short",
        3,
        7,
        leaves7.get(3),
        path3.subList(0, 2),
        tree7.root(),
        "last hash dropped");
    List<Hash> longer = new ArrayList<>(path3);
    longer.add(tree7.root());
    negative(
        negatives,
        "path-too-long",
        3,
        7,
        leaves7.get(3),
        longer,
        tree7.root(),
        "an extra hash appended");
    negative(
        negatives,
        "index-outside-tree",
        7,
        7,
        leaves7.get(3),
        path3,
        tree7.root(),
        "leaf_index equal to tree_size");
    negative(
        negatives,
        "wrong-tree-size",
        3,
        4,
        leaves7.get(3),
        path3,
        tree7.root(),
        "tree_size 4 for a proof in a tree of 7: too many hashes for that size. (Sizes 5 to 8 give leaf 3 "
            + "the same path shape, which is why verifiers take tree_size from the signed batch head.)");
    negative(
        negatives,
        "wrong-leaf",
        3,
        7,
        leaves7.get(2),
        path3,
        tree7.root(),
        "leaf 2's hash with leaf 3's path");
    return file;
  }

  private static void negative(
      ArrayNode out,
      String name,
      long index,
      long size,
      Hash leaf,
      List<Hash> path,
      Hash root,
      String why) {
    ObjectNode n = out.addObject();
    n.put("name", name);
    n.put("leaf_index", index);
    n.put("tree_size", size);
    n.put("leaf_hash", leaf.hex());
    n.set("audit_path", Render.of(path));
    n.put("root", root.hex());
    n.put("expect", "BAD_PROOF");
    n.put("description", why);
  }

  // ---------------------------------------------------------------------------------------------
  // Ticket chains

  private ObjectNode ticketChainFile() throws SigningException {
    ObjectNode file = JSON.objectNode();
    file.put("schema", SCHEMA);
    file.put("generated_by", GENERATOR);
    file.put(
        "check",
        "verify join_accept's proof; then, for each case, start a chain at join_accept (counter 0) "
            + "and feed it the steps in order. A step with a ticket accepts it as the next link "
            + "(docs/protocol.md section 7.1: proof, session, counter, prev hash, then "
            + "not_before - skew <= vs_now_ms); a rejected ticket does not advance the chain. A step "
            + "with fresh_at_vs_now_ms asks whether the newest accepted ticket is valid then "
            + "(not_before - skew <= now < not_after + skew; NO_FRESH_TICKET when there is none)");
    file.set("trust_anchors", anchors());
    file.put("join_accept", Hex.encode(Codec.encode(s.joinAccept)));
    file.put("allowed_skew_ms", 1000);
    ArrayNode cases = file.putArray("cases");
    byte[] t1 = Codec.encode(s.tickets.get(0));
    byte[] t2 = Codec.encode(s.tickets.get(1));
    byte[] t3 = Codec.encode(s.tickets.get(2));
    PlayTicket p1 = s.tickets.get(0).statement();
    long in1 = p1.notBeforeMs() + 100;
    long in2 = s.tickets.get(1).statement().notBeforeMs() + 100;
    long in3 = s.tickets.get(2).statement().notBeforeMs() + 100;

    chainCase(
        cases,
        "valid",
        "three tickets in order, each inside its validity",
        step(t1, in1, "OK"),
        step(t2, in2, "OK"),
        step(t3, in3, "OK"));
    chainCase(
        cases,
        "counter-gap",
        "ticket 3 straight after ticket 1; ticket 2 still fits afterwards",
        step(t1, in1, "OK"),
        step(t3, in3, "CHAIN_GAP"),
        step(t2, in2, "OK"));
    PlayTicket brokenStatement = Scenario.ticket(Scenario.SESSION, 2, Hash.ZERO);
    byte[] broken = Codec.encode(sealWith(brokenStatement, s));
    chainCase(
        cases,
        "broken-prev-hash",
        "a correctly proven ticket 2 whose prev_ticket_hash is not ticket 1's hash",
        step(t1, in1, "OK"),
        step(broken, in2, "CHAIN_BROKEN"));
    PlayTicket unlinked =
        Scenario.ticket(Scenario.SESSION, 1, Hashes.statementHash(s.tickets.get(2).statement()));
    chainCase(
        cases,
        "first-ticket-not-linked-to-join-accept",
        "ticket 1 pointing at another statement than the JoinAccept",
        step(Codec.encode(sealWith(unlinked, s)), in1, "CHAIN_BROKEN"));
    chainCase(
        cases,
        "expired",
        "ticket 1 accepted; the session is fresh up to not_after + skew - 1 and expired from "
            + "not_after + skew",
        step(t1, in1, "OK"),
        fresh(p1.notAfterMs() + 999, "OK"),
        fresh(p1.notAfterMs() + 1000, "TICKET_EXPIRED"));
    chainCase(
        cases,
        "expired-link-accepted",
        "ticket 1 arrives after it expired (a delayed link): it is accepted as a link but does not "
            + "make the session fresh; ticket 2 then does",
        step(t1, p1.notAfterMs() + 1500, "OK"),
        fresh(p1.notAfterMs() + 1500, "TICKET_EXPIRED"),
        step(t2, p1.notAfterMs() + 1500, "OK"),
        fresh(p1.notAfterMs() + 1500, "OK"));
    chainCase(
        cases,
        "no-ticket-yet",
        "freshness asked before any ticket was accepted",
        fresh(in1, "NO_FRESH_TICKET"));
    chainCase(
        cases,
        "not-yet-valid",
        "ticket 1 at not_before - skew - 1 (rejected), then at not_before - skew (accepted)",
        step(t1, p1.notBeforeMs() - 1001, "TICKET_NOT_YET_VALID"),
        step(t1, p1.notBeforeMs() - 1000, "OK"));
    PlayTicket foreign =
        Scenario.ticket(Scenario.OTHER_SESSION, 1, Hashes.statementHash(s.joinAcceptStatement));
    chainCase(
        cases,
        "wrong-session",
        "a correctly proven ticket of another session",
        step(Codec.encode(sealWith(foreign, s)), in1, "WRONG_SESSION"));
    chainCase(
        cases,
        "replayed",
        "tickets 1 and 2, then 2 and 1 again",
        step(t1, in1, "OK"),
        step(t2, in2, "OK"),
        step(t2, in2, "REPLAY"),
        step(t1, in2, "REPLAY"));
    byte[] edited = t1.clone();
    int counterAt = 2 + 16 + 32 + 7;
    edited[counterAt] ^= 0x03; // counter 1 becomes 2 after the VS proved it
    chainCase(
        cases,
        "edited-after-proof",
        "ticket 1's counter changed to 2 after the VS proved it",
        step(t1, in1, "OK"),
        step(edited, in2, "BAD_PROOF"));
    chainCase(
        cases,
        "reordered",
        "ticket 2 before ticket 1",
        step(t2, in2, "CHAIN_GAP"),
        step(t1, in1, "OK"),
        step(t2, in2, "OK"));
    return file;
  }

  /** A step that asks whether the newest accepted ticket is valid at {@code now}. */
  private static ObjectNode fresh(long now, String expect) {
    ObjectNode step = JSON.objectNode();
    step.put("fresh_at_vs_now_ms", now);
    step.put("expect", expect);
    return step;
  }

  private static ObjectNode step(byte[] ticket, long now, String expect) {
    ObjectNode step = JSON.objectNode();
    step.put("ticket", Hex.encode(ticket));
    step.put("vs_now_ms", now);
    step.put("expect", expect);
    return step;
  }

  private static void chainCase(
      ArrayNode cases, String name, String description, ObjectNode... steps) {
    ObjectNode c = cases.addObject();
    c.put("name", name);
    c.put("description", description);
    ArrayNode list = c.putArray("steps");
    for (ObjectNode step : steps) {
      list.add(step);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // receipt_tip

  private ObjectNode receiptTipFile() {
    ObjectNode file = JSON.objectNode();
    file.put("schema", SCHEMA);
    file.put("generated_by", GENERATOR);
    file.put(
        "check",
        "fold the inputs in order from initial_tip (docs/protocol.md section 7.2): "
            + "tip_i = SHA-256(tip_(i-1) || SHA-256(input_i)), input_i the whole ClientInput frame; "
            + "each step's tip must match");
    file.put("initial_tip", ReceiptTip.GENESIS.hex());
    ArrayNode steps = file.putArray("steps");
    for (int i = 0; i < s.inputs.size(); i++) {
      ObjectNode step = steps.addObject();
      step.put("input", Hex.encode(Codec.encode(s.inputs.get(i))));
      step.put("tip", s.tips.get(i).hex());
    }
    return file;
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private ObjectNode header(MessageType type) {
    ObjectNode file = JSON.objectNode();
    file.put("schema", SCHEMA);
    file.put("generated_by", GENERATOR);
    file.put("message", type.name());
    file.put("type_byte", String.format("0x%02x", type.code()));
    file.put("domain_label", type.labelText());
    file.put("domain_label_hex", Hex.encode(type.domainLabel()));
    file.put("authentication", type.authentication().name());
    file.set("trust_anchors", anchors());
    if (type != MessageType.BATCH_HEAD) {
      file.put(
          "check",
          "decode the frame as "
              + type.name()
              + ", then verify it as docs/protocol.md section 12 says (attested: its proof; ServerHello: "
              + "the JoinAccept proof, the signature with verify_key, the ticket proofs; other signed "
              + "types: the signature with verify_key, then any receipt proof); a vector passes when "
              + "the first failing check raises expect, or nothing fails and expect is OK");
    }
    return file;
  }

  private ArrayNode anchors() {
    ArrayNode anchors = JSON.arrayNode();
    anchors.add(s.vsRoot.publicKey().uncompressedPoint().hex());
    return anchors;
  }

  private static ObjectNode vector(
      ArrayNode vectors, String name, byte[] frame, String expect, String description) {
    if (!expect.equals("OK")) {
      Reason.valueOf(expect); // a typo here must not produce a vector nobody can pass
    }
    ObjectNode v = vectors.addObject();
    v.put("name", name);
    v.put("description", description);
    v.put("frame", Hex.encode(frame));
    v.put("expect", expect);
    return v;
  }

  /** Where the proof starts in the frame of {@code statement}. */
  private static int proofStart(VsStatement statement) {
    return Codec.statementBytes(statement).length - statement.type().domainLabel().length;
  }

  private static <S extends VsStatement> Attested<S> sealWith(S statement, Scenario scenario)
      throws SigningException {
    return scenario
        .seal(List.of(statement), 7, offChainPredecessor(scenario), Scenario.T0 + 7_000)
        .attest(statement, 0);
  }

  /** One-off batches exist only to carry a proof; any predecessor hash will do. */
  private static Hash offChainPredecessor(Scenario scenario) {
    return Hashes.batchHeadHash(scenario.batch2.head());
  }

  /** The statement framed with a proof whose leaf was computed under {@code label}. */
  private byte[] provenUnder(VsStatement statement, byte[] label) throws SigningException {
    byte[] bytes = Codec.statementBytes(statement);
    byte[] frameWithoutProof =
        Arrays.copyOfRange(bytes, statement.type().domainLabel().length, bytes.length);
    return provenRaw(frameWithoutProof, label);
  }

  /**
   * {@code frameWithoutProof} (header and body) with a valid single-leaf proof over {@code label}
   * followed by exactly those bytes.
   */
  private byte[] provenRaw(byte[] frameWithoutProof, byte[] label) throws SigningException {
    SealedBatch batch =
        BatchSealer.sealLeaves(
            List.of(concat(label, frameWithoutProof)),
            7,
            offChainPredecessor(s),
            Scenario.T0 + 7_000,
            s.vsRoot);
    VsProof proof = batch.proofs().get(0);
    // Borrow the proof encoding from a frame that carries the same proof.
    byte[] carrier = Codec.encode(new Attested<>(s.revoke.statement(), proof));
    byte[] proofBytes =
        Arrays.copyOfRange(carrier, proofStart(s.revoke.statement()), carrier.length);
    return concat(frameWithoutProof, proofBytes);
  }

  private static byte[] resign(byte[] frame, MessageType type, Ed25519KeyPair key) {
    return Scenario.signRaw(
        Arrays.copyOf(frame, frame.length - SIGNATURE_LENGTH), type.domainLabel(), key);
  }

  private static byte[] withHighS(byte[] frame, int signatureAt) {
    byte[] out = frame.clone();
    BigInteger n =
        new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
    BigInteger sValue =
        new BigInteger(1, Arrays.copyOfRange(frame, signatureAt + 32, signatureAt + 64));
    byte[] high = n.subtract(sValue).toByteArray();
    byte[] fixed = new byte[32];
    int skip = Math.max(0, high.length - 32);
    System.arraycopy(high, skip, fixed, 32 - (high.length - skip), high.length - skip);
    System.arraycopy(fixed, 0, out, signatureAt + 32, 32);
    return out;
  }

  private static byte[] sigBytes(EcdsaP256Signature signature) {
    return signature.bytes().toByteArray();
  }

  private static byte[] flip(byte[] frame, int offset, int bit) {
    byte[] out = frame.clone();
    out[offset] ^= (byte) (1 << bit);
    return out;
  }

  private static byte[] set(byte[] frame, int offset, int value) {
    byte[] out = frame.clone();
    out[offset] = (byte) value;
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static byte[] u32(int i) {
    return new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
  }

  private static String write(ObjectNode node) {
    try {
      DefaultPrettyPrinter printer = new DefaultPrettyPrinter();
      printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
      return new ObjectMapper().writer(printer).writeValueAsString(node).replace("\r\n", "\n")
          + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
