package dev.mmo.vs.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.batch.SignedHead;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The body of one message on the audit queue: a versioned JSON object that carries everything the
 * writer needs, so a record can be written by any replica, later, without other state.
 *
 * <pre>
 * {"v":1, "type":"receipt", "createdAtMs":..., "receipt":"&lt;base64 attested frame&gt;",
 *  "digest":"&lt;base64 signed TranscriptDigest frame&gt;"}
 * {"v":1, "type":"revocation", "createdAtMs":..., "recordId":"&lt;uuid&gt;",
 *  "sessionId":"&lt;32 hex&gt;" or null, "gsId":"...", "reasonCode":53, "evidence":{...},
 *  "decidedAt":"&lt;ISO-8601 instant&gt;"}
 * {"v":1, "type":"head", "createdAtMs":..., "epoch":3, "head":"&lt;base64 canonical BatchHead&gt;",
 *  "signature":"&lt;base64 64-byte P-256 signature&gt;"}
 * {"v":1, "type":"fence", "createdAtMs":..., "fenceId":"&lt;uuid&gt;"}
 * {"v":1, "type":"receipts", "createdAtMs":..., "receipts":[{"receipt":"...", "digest":"..."}, ...]}
 * </pre>
 *
 * <p>The last is a group of receipts published as one message ({@link BrokerAuditLog}): one broker
 * message, one confirm and one delivery for the receipts a batch releases together. It holds one
 * receipt at least; each element has exactly the two fields of a single receipt record.
 *
 * <p>JSON rather than the wire codec because evidence is free-form JSON and an operator reading the
 * dead-letter queue should be able to read a record; the receipt itself stays in its canonical
 * bytes (base64), which are what the VS signed. Decoding is strict: an unknown version, type or
 * field, a missing or mistyped field, or a receipt frame that does not decode is refused, and the
 * message goes to the dead-letter queue rather than becoming a half-true row.
 */
public final class AuditEnvelope {
  /** The envelope version this VS writes and reads. */
  public static final int VERSION = 1;

  /** Larger than two 64 KiB frames in base64 with room to spare; larger bodies are refused. */
  public static final int MAX_BYTES = 512 * 1024;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final Set<String> RECEIPT_FIELDS =
      Set.of("v", "type", "createdAtMs", "receipt", "digest");
  private static final Set<String> REVOCATION_FIELDS =
      Set.of(
          "v",
          "type",
          "createdAtMs",
          "recordId",
          "sessionId",
          "gsId",
          "reasonCode",
          "evidence",
          "decidedAt");

  private static final Set<String> HEAD_FIELDS =
      Set.of("v", "type", "createdAtMs", "epoch", "head", "signature");
  private static final Set<String> FENCE_FIELDS = Set.of("v", "type", "createdAtMs", "fenceId");
  private static final Set<String> GROUP_FIELDS = Set.of("v", "type", "createdAtMs", "receipts");
  private static final Set<String> GROUPED_RECEIPT_FIELDS = Set.of("receipt", "digest");

  private AuditEnvelope() {}

  /**
   * The records of one message read from the queue (one, or a group of receipts), and when the VS
   * that published it made the envelope.
   */
  public record Opened(List<AuditRecord> records, Instant createdAt) {
    public Opened {
      records = List.copyOf(records);
      if (records.isEmpty()) {
        throw new IllegalArgumentException("an envelope holds one record at least");
      }
    }

    Opened(AuditRecord record, Instant createdAt) {
      this(List.of(record), createdAt);
    }
  }

  /** A receipt in the canonical bytes a group carries: the attested frame and the digest frame. */
  public record ReceiptFrames(byte[] receipt, byte[] digest) {
    public ReceiptFrames {
      requireNonNull(receipt, "receipt");
      requireNonNull(digest, "digest");
    }

    /** The frames of {@code record}. */
    public static ReceiptFrames of(ReceiptRecord record) {
      return new ReceiptFrames(Codec.encode(record.receipt()), record.digestFrame().toByteArray());
    }

    /**
     * About what this receipt adds to a group's body: both frames in base64, and the field names.
     */
    public int sealedBytes() {
      return (receipt.length + digest.length) * 4 / 3 + 40;
    }
  }

  /** The envelope of a group of receipts (at least one), made at {@code createdAt}. */
  public static byte[] sealReceipts(List<ReceiptFrames> receipts, Instant createdAt) {
    if (receipts.isEmpty()) {
      throw new IllegalArgumentException("a group holds one receipt at least");
    }
    ObjectNode json = MAPPER.createObjectNode();
    json.put("v", VERSION);
    json.put("type", "receipts");
    json.put("createdAtMs", createdAt.toEpochMilli());
    ArrayNode group = json.putArray("receipts");
    for (ReceiptFrames r : receipts) {
      ObjectNode one = group.addObject();
      one.put("receipt", base64(r.receipt()));
      one.put("digest", base64(r.digest()));
    }
    return write(json);
  }

  /** The envelope of {@code record}, made at {@code createdAt}. */
  public static byte[] seal(AuditRecord record, Instant createdAt) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("v", VERSION);
    if (record instanceof ReceiptRecord receipt) {
      ReceiptFrames frames = ReceiptFrames.of(receipt);
      json.put("type", "receipt");
      json.put("createdAtMs", createdAt.toEpochMilli());
      json.put("receipt", base64(frames.receipt()));
      json.put("digest", base64(frames.digest()));
    } else if (record instanceof HeadRecord head) {
      json.put("type", "head");
      json.put("createdAtMs", createdAt.toEpochMilli());
      json.put("epoch", head.epoch());
      json.put("head", base64(Codec.encodeBatchHead(head.head().head())));
      json.put("signature", base64(head.head().signature().bytes().toByteArray()));
    } else if (record instanceof FenceRecord fence) {
      json.put("type", "fence");
      json.put("createdAtMs", createdAt.toEpochMilli());
      json.put("fenceId", fence.id().toString());
    } else {
      RevocationRecord revocation = (RevocationRecord) record;
      json.put("type", "revocation");
      json.put("createdAtMs", createdAt.toEpochMilli());
      json.put("recordId", revocation.recordId().toString());
      if (revocation.sessionId() == null) {
        json.putNull("sessionId");
      } else {
        json.put("sessionId", revocation.sessionId().hex());
      }
      json.put("gsId", revocation.gsId().value());
      json.put("reasonCode", revocation.reasonCode());
      json.set("evidence", MAPPER.valueToTree(revocation.evidence()));
      json.put("decidedAt", revocation.decidedAt().toString());
    }
    return write(json);
  }

  private static byte[] write(ObjectNode json) {
    try {
      return MAPPER.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("audit record is not JSON-writable", e);
    }
  }

  /** Reads an envelope; refuses anything that is not exactly a version-1 envelope. */
  public static Opened open(byte[] body) throws MalformedAuditRecordException {
    if (body == null || body.length == 0) {
      throw new MalformedAuditRecordException("empty body");
    }
    if (body.length > MAX_BYTES) {
      throw new MalformedAuditRecordException("body of " + body.length + " bytes is too large");
    }
    JsonNode json;
    try {
      json = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new MalformedAuditRecordException("not JSON", e);
    }
    if (json == null || !json.isObject()) {
      throw new MalformedAuditRecordException("not a JSON object");
    }
    if (!json.path("v").isInt() || json.get("v").intValue() != VERSION) {
      throw new MalformedAuditRecordException("unknown envelope version " + json.get("v"));
    }
    String type = text(json, "type");
    try {
      switch (type) {
        case "receipt":
          onlyFields(json, RECEIPT_FIELDS);
          return new Opened(receipt(json), createdAt(json));
        case "revocation":
          onlyFields(json, REVOCATION_FIELDS);
          return new Opened(revocation(json), createdAt(json));
        case "head":
          onlyFields(json, HEAD_FIELDS);
          return new Opened(head(json), createdAt(json));
        case "receipts":
          onlyFields(json, GROUP_FIELDS);
          return new Opened(receipts(json), createdAt(json));
        case "fence":
          onlyFields(json, FENCE_FIELDS);
          return new Opened(
              new FenceRecord(UUID.fromString(text(json, "fenceId"))), createdAt(json));
        default:
          throw new MalformedAuditRecordException("unknown record type " + type);
      }
    } catch (IllegalArgumentException | NullPointerException | DateTimeException e) {
      // The record types validate in their constructors; any refusal there is a malformed record.
      throw new MalformedAuditRecordException("invalid " + type + " record: " + e.getMessage(), e);
    }
  }

  private static ReceiptRecord receipt(JsonNode json) throws MalformedAuditRecordException {
    byte[] frame = bytes(json, "receipt");
    try {
      return new ReceiptRecord(
          Codec.decodeAttested(frame, ProtectedReceipt.class), Bytes.copyOf(bytes(json, "digest")));
    } catch (Rejection e) {
      throw new MalformedAuditRecordException(
          "receipt frame does not decode: " + e.getMessage(), e);
    }
  }

  private static List<AuditRecord> receipts(JsonNode json) throws MalformedAuditRecordException {
    JsonNode group = field(json, "receipts");
    if (!group.isArray() || group.isEmpty()) {
      throw new MalformedAuditRecordException("receipts is not a non-empty array");
    }
    List<AuditRecord> records = new ArrayList<>(group.size());
    for (JsonNode one : group) {
      if (!one.isObject()) {
        throw new MalformedAuditRecordException("a grouped receipt is not a JSON object");
      }
      onlyFields(one, GROUPED_RECEIPT_FIELDS);
      records.add(receipt(one));
    }
    return records;
  }

  private static HeadRecord head(JsonNode json) throws MalformedAuditRecordException {
    JsonNode epoch = field(json, "epoch");
    if (!epoch.isIntegralNumber() || !epoch.canConvertToLong()) {
      throw new MalformedAuditRecordException("epoch is not an integer");
    }
    try {
      BatchHead head = Codec.decodeBatchHead(bytes(json, "head"));
      EcdsaP256Signature signature = EcdsaP256Signature.of(bytes(json, "signature"));
      return new HeadRecord(new SignedHead(head, signature), epoch.longValue());
    } catch (Rejection e) {
      throw new MalformedAuditRecordException("head does not decode: " + e.getMessage(), e);
    }
  }

  private static RevocationRecord revocation(JsonNode json) throws MalformedAuditRecordException {
    JsonNode session = field(json, "sessionId");
    JsonNode evidence = field(json, "evidence");
    if (!evidence.isObject()) {
      throw new MalformedAuditRecordException("evidence is not a JSON object");
    }
    if (!field(json, "reasonCode").isInt()) {
      throw new MalformedAuditRecordException("reasonCode is not an integer");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> evidenceMap = MAPPER.convertValue(evidence, Map.class);
    return new RevocationRecord(
        UUID.fromString(text(json, "recordId")),
        session.isNull() ? null : SessionId.fromHex(text(json, "sessionId")),
        new GsId(text(json, "gsId")),
        json.get("reasonCode").intValue(),
        evidenceMap,
        Instant.parse(text(json, "decidedAt")));
  }

  private static Instant createdAt(JsonNode json) throws MalformedAuditRecordException {
    JsonNode at = field(json, "createdAtMs");
    if (!at.canConvertToLong() || !at.isIntegralNumber() || at.longValue() < 0) {
      throw new MalformedAuditRecordException("createdAtMs is not a non-negative integer");
    }
    return Instant.ofEpochMilli(at.longValue());
  }

  private static void onlyFields(JsonNode json, Set<String> allowed)
      throws MalformedAuditRecordException {
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new MalformedAuditRecordException("unknown field " + name);
      }
    }
    for (String name : allowed) {
      field(json, name);
    }
  }

  private static JsonNode field(JsonNode json, String name) throws MalformedAuditRecordException {
    JsonNode value = json.get(name);
    if (value == null) {
      throw new MalformedAuditRecordException("missing field " + name);
    }
    return value;
  }

  private static String text(JsonNode json, String name) throws MalformedAuditRecordException {
    JsonNode value = field(json, name);
    if (!value.isTextual()) {
      throw new MalformedAuditRecordException(name + " is not a string");
    }
    return value.textValue();
  }

  private static byte[] bytes(JsonNode json, String name) throws MalformedAuditRecordException {
    try {
      return Base64.getDecoder().decode(text(json, name));
    } catch (IllegalArgumentException e) {
      throw new MalformedAuditRecordException(name + " is not base64", e);
    }
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
