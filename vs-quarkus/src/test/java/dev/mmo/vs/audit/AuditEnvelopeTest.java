package dev.mmo.vs.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The audit envelope: what is sealed opens to the same record; anything else is refused. */
class AuditEnvelopeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant CREATED = Instant.ofEpochMilli(1_700_000_000_123L);
  private static final SessionId SESSION = SessionId.random(new SecureRandom());

  private static ReceiptRecord receipt() {
    return new ReceiptRecord(
        AuditFixtures.receipt(SESSION, 42), Bytes.copyOf(AuditFixtures.digestFrame(42)));
  }

  private static RevocationRecord revocation(SessionId session) {
    return new RevocationRecord(
        UUID.fromString("6f1c1d52-3f0e-4c8a-9a55-0d9f1b2c3d4e"),
        session,
        new GsId("eu-west.gs-1"),
        Reason.SPEED_VIOLATION.code(),
        Map.of("distance", 1234, "note", "teleport", "path", List.of(1, 2)),
        Instant.parse("2026-11-24T10:15:30.123456Z"));
  }

  @Test
  void open_sealedReceipt_sameRecordAndCreationTime() throws Exception {
    AuditEnvelope.Opened opened = AuditEnvelope.open(AuditEnvelope.seal(receipt(), CREATED));

    assertThat(opened.records()).containsExactly(receipt());
    assertThat(opened.createdAt()).isEqualTo(CREATED);
  }

  @Test
  void open_sealedRevocations_sameRecords() throws Exception {
    for (SessionId session : new SessionId[] {SESSION, null}) {
      AuditEnvelope.Opened opened =
          AuditEnvelope.open(AuditEnvelope.seal(revocation(session), CREATED));

      assertThat(opened.records()).containsExactly(revocation(session));
    }
  }

  @Test
  void open_sealedGroupOfReceipts_sameRecordsInOrder() throws Exception {
    List<ReceiptRecord> receipts = new ArrayList<>();
    for (long counter = 1; counter <= 5; counter++) {
      receipts.add(
          new ReceiptRecord(
              AuditFixtures.receipt(SESSION, counter),
              Bytes.copyOf(AuditFixtures.digestFrame(counter))));
    }
    List<AuditEnvelope.ReceiptFrames> frames = new ArrayList<>();
    receipts.forEach(r -> frames.add(AuditEnvelope.ReceiptFrames.of(r)));

    AuditEnvelope.Opened opened = AuditEnvelope.open(AuditEnvelope.sealReceipts(frames, CREATED));

    assertThat(opened.records()).containsExactlyElementsOf(receipts);
    assertThat(opened.createdAt()).isEqualTo(CREATED);
  }

  @Test
  void open_brokenGroups_allRefused() throws Exception {
    Map<String, byte[]> broken = new LinkedHashMap<>();
    broken.put("empty group", groupWith(json -> json.putArray("receipts")));
    broken.put("group not an array", groupWith(json -> json.put("receipts", "x")));
    broken.put("element not an object", groupWith(json -> receipts(json).add(1)));
    broken.put("element with an extra field", groupWith(json -> first(json).put("v", 1)));
    broken.put("element without its digest", groupWith(json -> first(json).remove("digest")));
    broken.put("element receipt bit flipped", groupWith(json -> flipTypeByte(first(json))));
    broken.put("nested group", groupWith(json -> receipts(json).add(json.deepCopy())));
    broken.put("missing receipts", groupWith(json -> json.remove("receipts")));
    broken.put("unknown field", groupWith(json -> json.put("receipt", "AA==")));

    assertThat(opened(broken)).isEmpty();
  }

  /** The names of the bodies {@link AuditEnvelope#open} accepted. */
  private static List<String> opened(Map<String, byte[]> bodies) {
    List<String> accepted = new ArrayList<>();
    for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
      try {
        AuditEnvelope.open(body.getValue());
        accepted.add(body.getKey());
      } catch (MalformedAuditRecordException expected) {
        // refused, as it should be
      }
    }
    return accepted;
  }

  private static byte[] groupWith(Consumer<ObjectNode> change) throws Exception {
    List<AuditEnvelope.ReceiptFrames> frames =
        List.of(
            AuditEnvelope.ReceiptFrames.of(receipt()), AuditEnvelope.ReceiptFrames.of(receipt()));
    ObjectNode json = (ObjectNode) JSON.readTree(AuditEnvelope.sealReceipts(frames, CREATED));
    change.accept(json);
    return JSON.writeValueAsBytes(json);
  }

  private static ArrayNode receipts(ObjectNode group) {
    return (ArrayNode) group.get("receipts");
  }

  private static ObjectNode first(ObjectNode group) {
    return (ObjectNode) receipts(group).get(0);
  }

  @Test
  void open_brokenEnvelopes_allRefused() throws Exception {
    Map<String, byte[]> broken = new LinkedHashMap<>();
    broken.put("empty", new byte[0]);
    broken.put("not JSON", "not json".getBytes(StandardCharsets.UTF_8));
    broken.put("JSON array", "[1]".getBytes(StandardCharsets.UTF_8));
    broken.put("trailing bytes", concat(AuditEnvelope.seal(receipt(), CREATED), "{}"));
    broken.put("too large", new byte[AuditEnvelope.MAX_BYTES + 1]);
    broken.put("version 2", receiptWith(json -> json.put("v", 2)));
    broken.put("version as text", receiptWith(json -> json.put("v", "1")));
    broken.put("unknown type", receiptWith(json -> json.put("type", "head")));
    broken.put("unknown field", receiptWith(json -> json.put("extra", 1)));
    broken.put("missing digest", receiptWith(json -> json.remove("digest")));
    broken.put("receipt not base64", receiptWith(json -> json.put("receipt", "%%%")));
    broken.put("receipt bit flipped", receiptWith(AuditEnvelopeTest::flipTypeByte));
    broken.put("receipt truncated", receiptWith(AuditEnvelopeTest::truncateReceipt));
    broken.put("negative createdAtMs", receiptWith(json -> json.put("createdAtMs", -1)));
    broken.put("fractional createdAtMs", receiptWith(json -> json.put("createdAtMs", 1.5)));
    broken.put("duplicate field", duplicateField());
    broken.put("bad session id", revocationWith(json -> json.put("sessionId", "abcd")));
    broken.put("bad record id", revocationWith(json -> json.put("recordId", "not-a-uuid")));
    broken.put("bad gs id", revocationWith(json -> json.put("gsId", "")));
    broken.put("evidence not object", revocationWith(json -> json.put("evidence", "x")));
    broken.put(
        "evidence with null", revocationWith(json -> json.putObject("evidence").putNull("a")));
    broken.put("reason as text", revocationWith(json -> json.put("reasonCode", "53")));
    broken.put("bad decidedAt", revocationWith(json -> json.put("decidedAt", "yesterday")));
    broken.put("missing sessionId", revocationWith(json -> json.remove("sessionId")));

    assertThat(opened(broken)).isEmpty();
  }

  private static byte[] receiptWith(Consumer<ObjectNode> change) throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(AuditEnvelope.seal(receipt(), CREATED));
    change.accept(json);
    return JSON.writeValueAsBytes(json);
  }

  private static byte[] revocationWith(Consumer<ObjectNode> change) throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(AuditEnvelope.seal(revocation(SESSION), CREATED));
    change.accept(json);
    return JSON.writeValueAsBytes(json);
  }

  private static void flipTypeByte(ObjectNode json) {
    byte[] frame = Base64.getDecoder().decode(json.get("receipt").textValue());
    frame[1] ^= 0x01;
    json.put("receipt", Base64.getEncoder().encodeToString(frame));
  }

  private static void truncateReceipt(ObjectNode json) {
    byte[] frame = Base64.getDecoder().decode(json.get("receipt").textValue());
    byte[] shorter = java.util.Arrays.copyOf(frame, frame.length - 1);
    json.put("receipt", Base64.getEncoder().encodeToString(shorter));
  }

  private static byte[] duplicateField() throws Exception {
    String sealed = new String(AuditEnvelope.seal(receipt(), CREATED), StandardCharsets.UTF_8);
    return ("{\"v\":1," + sealed.substring(1)).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] body, String tail) {
    byte[] t = tail.getBytes(StandardCharsets.UTF_8);
    byte[] out = java.util.Arrays.copyOf(body, body.length + t.length);
    System.arraycopy(t, 0, out, body.length, t.length);
    return out;
  }
}
