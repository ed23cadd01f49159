package dev.mmo.vs.admin;

import static dev.mmo.vs.admin.AdminFixtures.enroll;
import static dev.mmo.vs.admin.AdminFixtures.newSwHash;
import static dev.mmo.vs.admin.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.chain.ReceiptTip;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.crypto.SigningException;
import dev.mmo.protocol.testing.TestKeys;
import dev.mmo.protocol.trust.BatchSealer;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.TranscriptDigest;
import dev.mmo.protocol.world.Vec2;
import dev.mmo.vs.audit.AuditStore;
import dev.mmo.vs.audit.ReceiptRecord;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /api/sessions/{id}/receipts and POST /api/sessions/{id}/receipts/verify, over receipts
 * written by the audit writer's store (AuditStore) with real attested frames.
 */
@QuarkusTest
class ReceiptResourceTest {
  /** mmo.admin.max-verify-items in the test profile. */
  private static final int MAX_ITEMS = 200;

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private static final String NO_SUCH_SESSION = "00000000000000000000000000000001";

  @Inject AuditTrail auditTrail;
  @Inject AuditStore store;

  private SessionId session;
  private SessionId quiet;

  /** The session's inputs, as the GS applied them. */
  private List<byte[]> inputs;

  /** tips.get(i): the receipt tip after the first i inputs. */
  private List<Hash> tips;

  /** The digest frames notarized, by counter. */
  private Map<Long, byte[]> digests;

  @BeforeEach
  void notarizedSession() throws SigningException {
    auditTrail.clear();
    String sw = newSwHash();
    enroll("gs-r", sw);
    session = auditTrail.addSession(new GsId("gs-r"), Hash.fromHex(sw), T0);
    quiet = auditTrail.addSession(new GsId("gs-r"), Hash.fromHex(sw), T0.plusSeconds(1));
    inputs = new ArrayList<>();
    for (int nonce = 1; nonce <= 6; nonce++) {
      inputs.add(input(session, nonce));
    }
    tips = fold(inputs);
    // Receipts at counters 1 (before any input), 2 and 3 (no input between them) and 5; counter 4
    // was a heartbeat. Written out of order: the API orders them.
    digests =
        Map.of(
            5L, notarize(session, 5, tips.get(6)),
            1L, notarize(session, 1, tips.get(0)),
            3L, notarize(session, 3, tips.get(2)),
            2L, notarize(session, 2, tips.get(2)));
  }

  @AfterEach
  void clear() {
    auditTrail.clear();
  }

  // --- GET /api/sessions/{id}/receipts -------------------------------------------------------

  @Test
  void list_returnsReceiptsByCounterWithVerifiableFrames() throws Exception {
    ValidatableResponse response =
        given()
            .auth()
            .oauth2(TestTokens.operator())
            .when()
            .get("/api/sessions/" + session.hex() + "/receipts")
            .then()
            .statusCode(200)
            .body("items.gsCounter", contains(1, 2, 3, 5))
            .body("items.receiptTip", contains(hex(0), hex(2), hex(2), hex(6)))
            .body("total", equalTo(4))
            .body("offset", equalTo(0))
            .body("limit", equalTo(50));

    Map<String, Object> last = response.extract().jsonPath().getMap("items[3]");
    byte[] receiptFrame = Base64.getDecoder().decode((String) last.get("receipt"));
    byte[] digestFrame = Base64.getDecoder().decode((String) last.get("digest"));
    assertThat(digestFrame).isEqualTo(digests.get(5L));
    assertThat(last.get("digestHash")).isEqualTo(Sha256.hash(digestFrame).hex());
    // The receipt is the attested frame itself: it decodes, names this claim, and verifies.
    Attested<ProtectedReceipt> receipt = Codec.decodeAttested(receiptFrame, ProtectedReceipt.class);
    assertThat(receipt.statement().gsCounter()).isEqualTo(5);
    assertThat(receipt.statement().receiptTip()).isEqualTo(tips.get(6));
    assertThat(receipt.statement().digestHash()).isEqualTo(Sha256.hash(digestFrame));
    assertThat(Instant.parse((String) last.get("notarizedAt")))
        .isEqualTo(Instant.ofEpochMilli(receipt.statement().notarizedAtMs()));
    assertThat((String) last.get("recordedAt")).isNotBlank();
  }

  @Test
  void list_limitAndOffset_returnThatPage() {
    given()
        .auth()
        .oauth2(TestTokens.admin())
        .queryParam("limit", 2)
        .queryParam("offset", 1)
        .when()
        .get("/api/sessions/" + session.hex() + "/receipts")
        .then()
        .statusCode(200)
        .body("items.gsCounter", contains(2, 3))
        .body("total", equalTo(4))
        .body("limit", equalTo(2))
        .body("offset", equalTo(1));
  }

  @Test
  void list_fromCounter_startsThere() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .queryParam("fromCounter", 3)
        .when()
        .get("/api/sessions/" + session.hex() + "/receipts")
        .then()
        .statusCode(200)
        .body("items.gsCounter", contains(3, 5))
        .body("total", equalTo(2));
  }

  @Test
  void list_sessionWithoutReceipts_returnsAnEmptyPage() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/sessions/" + quiet.hex() + "/receipts")
        .then()
        .statusCode(200)
        .body("items", empty())
        .body("total", equalTo(0));
  }

  @Test
  void list_unknownSession_returns404() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/sessions/" + NO_SUCH_SESSION + "/receipts")
        .then()
        .spec(problem(404, "SESSION_NOT_FOUND"));
  }

  @Test
  void list_invalidInput_returns400WithItsCode() {
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .when()
        .get("/api/sessions/" + session.hex().toUpperCase() + "/receipts")
        .then()
        .spec(problem(400, "INVALID_SESSION_ID"));
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .queryParam("fromCounter", 0)
        .when()
        .get("/api/sessions/" + session.hex() + "/receipts")
        .then()
        .spec(problem(400, "INVALID_GS_COUNTER"));
    given()
        .auth()
        .oauth2(TestTokens.operator())
        .queryParam("limit", 201)
        .when()
        .get("/api/sessions/" + session.hex() + "/receipts")
        .then()
        .spec(problem(400, "INVALID_PAGE"));
  }

  @Test
  void list_withoutToken_returns401() {
    given()
        .when()
        .get("/api/sessions/" + session.hex() + "/receipts")
        .then()
        .spec(problem(401, "UNAUTHORIZED"));
  }

  @Test
  void list_withoutOperatorRole_returns403() {
    given()
        .auth()
        .oauth2(TestTokens.player())
        .when()
        .get("/api/sessions/" + session.hex() + "/receipts")
        .then()
        .spec(problem(403, "FORBIDDEN"));
  }

  // --- POST /api/sessions/{id}/receipts/verify: tips ---------------------------------------

  @Test
  void verifyTips_allNotarized_consistent() {
    verify(
            session,
            Map.of(
                "tips",
                List.of(
                    Map.of("gsCounter", 2, "receiptTip", hex(2)),
                    Map.of("gsCounter", 5, "receiptTip", hex(6)))))
        .statusCode(200)
        .body("consistent", equalTo(true))
        .body("tips.status", contains("NOTARIZED", "NOTARIZED"))
        .body("tips.notarizedTip", contains(hex(2), hex(6)))
        .body("receipts", nullValue())
        .body("inputs", nullValue());
  }

  @Test
  void verifyTips_mismatchAndMissing_inconsistentWithTheNotarizedTip() {
    verify(
            session,
            Map.of(
                "tips",
                List.of(
                    Map.of("gsCounter", 1, "receiptTip", hex(0)),
                    Map.of("gsCounter", 5, "receiptTip", hex(5)),
                    Map.of("gsCounter", 4, "receiptTip", hex(4)))))
        .statusCode(200)
        .body("consistent", equalTo(false))
        .body("tips.gsCounter", contains(1, 5, 4))
        .body("tips.receiptTip", contains(hex(0), hex(5), hex(4)))
        .body("tips.status", contains("NOTARIZED", "MISMATCH", "NOT_NOTARIZED"))
        .body("tips.notarizedTip", contains(hex(0), hex(6), null));
  }

  @Test
  void verifyTips_atTheLimit_checksEveryTip() {
    List<Map<String, Object>> many = new ArrayList<>();
    for (int counter = 1; counter <= MAX_ITEMS; counter++) {
      many.add(Map.of("gsCounter", counter, "receiptTip", hex(0)));
    }

    ValidatableResponse response =
        verify(session, Map.of("tips", many)).statusCode(200).body("consistent", equalTo(false));

    List<String> statuses = response.extract().jsonPath().getList("tips.status");
    assertThat(statuses).hasSize(MAX_ITEMS);
    assertThat(statuses.subList(0, 5))
        .containsExactly("NOTARIZED", "MISMATCH", "MISMATCH", "NOT_NOTARIZED", "MISMATCH");
    assertThat(statuses.subList(5, MAX_ITEMS)).containsOnly("NOT_NOTARIZED");
  }

  @Test
  void verifyTips_overTheLimit_returns413() {
    List<Map<String, Object>> many =
        Collections.nCopies(MAX_ITEMS + 1, Map.of("gsCounter", 1, "receiptTip", hex(0)));

    verify(session, Map.of("tips", many)).spec(problem(413, "TOO_MANY_TIPS"));
  }

  @Test
  void verifyTips_malformedTip_returns400WithItsCode() {
    verify(
            session,
            Map.of("tips", List.of(Map.of("gsCounter", 1, "receiptTip", hex(2).toUpperCase()))))
        .spec(problem(400, "INVALID_RECEIPT_TIP"));
    verify(
            session,
            Map.of("tips", List.of(Map.of("gsCounter", 1, "receiptTip", hex(0).substring(2)))))
        .spec(problem(400, "INVALID_RECEIPT_TIP"));
    verify(session, Map.of("tips", List.of(Map.of("gsCounter", 0, "receiptTip", hex(0)))))
        .spec(problem(400, "INVALID_GS_COUNTER"));
    verify(session, Map.of("tips", List.of(Map.of("receiptTip", hex(0)))))
        .spec(problem(400, "INVALID_GS_COUNTER"));
    // Only a JSON integer: nothing is coerced into a counter.
    for (Object counter : List.of("1", 1.5, 1.0, true, new BigInteger("18446744073709551617"))) {
      verify(session, Map.of("tips", List.of(Map.of("gsCounter", counter, "receiptTip", hex(0)))))
          .spec(problem(400, "INVALID_GS_COUNTER"));
    }
    // The largest counter is one: nothing was notarized there.
    verify(
            session,
            Map.of("tips", List.of(Map.of("gsCounter", Long.MAX_VALUE, "receiptTip", hex(0)))))
        .statusCode(200)
        .body("tips[0].status", equalTo("NOT_NOTARIZED"));
    verify(session, Map.of("tips", List.of())).spec(problem(400, "INVALID_BODY"));
  }

  // --- POST /api/sessions/{id}/receipts/verify: transcript ---------------------------------

  @Test
  void verifyTranscript_wholeTranscript_everyReceiptMatched() {
    verify(session, Map.of("transcript", base64(inputs)))
        .statusCode(200)
        .body("consistent", equalTo(true))
        .body("inputs", equalTo(6))
        .body("transcriptTip", equalTo(hex(6)))
        .body("receipts.gsCounter", contains(1, 2, 3, 5))
        .body("receipts.status", contains("MATCHED", "MATCHED", "MATCHED", "MATCHED"))
        .body("receipts.inputCount", contains(0, 2, 2, 6))
        .body("tips", nullValue());
  }

  @Test
  void verifyTranscript_inputDropped_laterReceiptsNotReproduced() {
    List<byte[]> dropped = new ArrayList<>(inputs);
    dropped.remove(3);

    verify(session, Map.of("transcript", base64(dropped)))
        .statusCode(200)
        .body("consistent", equalTo(false))
        .body("receipts.status", contains("MATCHED", "MATCHED", "MATCHED", "NOT_REPRODUCED"))
        .body("receipts.inputCount", contains(0, 2, 2, null));
  }

  @Test
  void verifyTranscript_inputsReordered_receiptsAfterTheSwapNotReproduced() {
    List<byte[]> reordered = new ArrayList<>(inputs);
    Collections.swap(reordered, 0, 1);

    verify(session, Map.of("transcript", base64(reordered)))
        .statusCode(200)
        .body("consistent", equalTo(false))
        .body(
            "receipts.status",
            contains("MATCHED", "NOT_REPRODUCED", "NOT_REPRODUCED", "NOT_REPRODUCED"));
  }

  @Test
  void verifyTranscript_emptyTranscript_onlyTheReceiptBeforeAnyInputMatches() {
    verify(session, Map.of("transcript", List.of()))
        .statusCode(200)
        .body("consistent", equalTo(false))
        .body("inputs", equalTo(0))
        .body("transcriptTip", equalTo(hex(0)))
        .body(
            "receipts.status",
            contains("MATCHED", "NOT_REPRODUCED", "NOT_REPRODUCED", "NOT_REPRODUCED"));
  }

  @Test
  void verifyTranscript_inputOfAnotherSession_returns400NamingIt() {
    List<byte[]> mixed = new ArrayList<>(inputs);
    mixed.set(2, input(quiet, 3));

    verify(session, Map.of("transcript", base64(mixed)))
        .spec(problem(400, "INVALID_TRANSCRIPT"))
        .body("detail", containsString("transcript[2]"))
        .body("detail", containsString(quiet.hex()));
  }

  @Test
  void verifyTranscript_notAClientInput_returns400NamingIt() {
    List<byte[]> mixed = new ArrayList<>(inputs);
    mixed.add(digests.get(1L));

    verify(session, Map.of("transcript", base64(mixed)))
        .spec(problem(400, "INVALID_TRANSCRIPT"))
        .body("detail", containsString("transcript[6]"))
        .body("detail", containsString("UNEXPECTED_TYPE"));

    byte[] truncated = Arrays.copyOf(inputs.get(0), inputs.get(0).length - 1);
    verify(session, Map.of("transcript", base64(List.of(truncated))))
        .spec(problem(400, "INVALID_TRANSCRIPT"))
        .body("detail", containsString("transcript[0]"));
  }

  @Test
  void verifyTranscript_notCanonicalBase64_returns400() {
    String valid = Base64.getEncoder().encodeToString(inputs.get(0));
    // 142 bytes end in one byte and two padding characters; the last data character carries four
    // zero bits. Setting one of them still decodes to the same frame: only the canonical check
    // refuses it.
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    int last = alphabet.indexOf(valid.charAt(valid.length() - 3));
    String sloppyBits = valid.substring(0, valid.length() - 3) + alphabet.charAt(last + 1) + "==";
    assertThat(Base64.getDecoder().decode(sloppyBits)).isEqualTo(inputs.get(0));
    String unpadded = valid.substring(0, valid.length() - 2);

    for (String frame : List.of(sloppyBits, unpadded, " " + valid, valid + "\n", "", "@@@@")) {
      verify(session, Map.of("transcript", List.of(frame)))
          .spec(problem(400, "INVALID_TRANSCRIPT"))
          .body("detail", containsString("transcript[0]"));
    }
  }

  /** 10,000 inputs, the default limit, fit the HTTP body limit: about 1.95 MB of JSON. */
  @Test
  void verifyTranscript_atTheLimit_foldsEveryInput() {
    List<byte[]> longer = new ArrayList<>(inputs);
    for (int nonce = 7; nonce <= MAX_ITEMS; nonce++) {
      longer.add(input(session, nonce));
    }

    verify(session, Map.of("transcript", base64(longer)))
        .statusCode(200)
        .body("consistent", equalTo(true))
        .body("inputs", equalTo(MAX_ITEMS))
        .body("transcriptTip", equalTo(fold(longer).get(MAX_ITEMS).hex()))
        .body("receipts.inputCount", contains(0, 2, 2, 6));
  }

  @Test
  void verifyTranscript_overTheLimit_returns413() {
    List<String> many =
        Collections.nCopies(MAX_ITEMS + 1, Base64.getEncoder().encodeToString(inputs.get(0)));

    verify(session, Map.of("transcript", many)).spec(problem(413, "TOO_MANY_INPUTS"));
  }

  @Test
  void verifyTranscript_moreReceiptsThanTheBound_returns422() throws SigningException {
    // mmo.admin.max-verified-receipts is 20 in tests.
    for (long counter = 6; counter <= 22; counter++) {
      notarize(session, counter, tips.get(6));
    }

    verify(session, Map.of("transcript", base64(inputs))).spec(problem(422, "TOO_MANY_RECEIPTS"));
  }

  // --- POST /api/sessions/{id}/receipts/verify: the request as a whole ---------------------

  @Test
  void verify_bothOrNeither_returns400() {
    verify(
            session,
            Map.of(
                "tips",
                List.of(Map.of("gsCounter", 1, "receiptTip", hex(0))),
                "transcript",
                base64(inputs)))
        .spec(problem(400, "INVALID_BODY"));
    verify(session, Map.of()).spec(problem(400, "INVALID_BODY"));
    verify(session, Map.of("transcript", base64(inputs), "extra", 1))
        .spec(problem(400, "INVALID_BODY"))
        .body("detail", containsString("extra"));
  }

  @Test
  void verify_bodyAboveTheHttpLimit_returns413() {
    String huge = "{\"transcript\": [\"" + "A".repeat(3 * 1024 * 1024) + "\"]}";

    given()
        .auth()
        .oauth2(TestTokens.operator())
        .contentType(ContentType.JSON)
        .body(huge.getBytes(StandardCharsets.US_ASCII))
        .when()
        .post("/api/sessions/" + session.hex() + "/receipts/verify")
        .then()
        .statusCode(413);
  }

  @Test
  void verify_unknownSession_returns404() {
    verify(
            SessionId.fromHex(NO_SUCH_SESSION),
            Map.of("tips", List.of(Map.of("gsCounter", 1, "receiptTip", hex(0)))))
        .spec(problem(404, "SESSION_NOT_FOUND"));
  }

  @Test
  void verify_withoutTokenOrRole_returns401Or403() {
    Map<String, Object> body =
        Map.of("tips", List.of(Map.of("gsCounter", 1, "receiptTip", hex(0))));
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .when()
        .post("/api/sessions/" + session.hex() + "/receipts/verify")
        .then()
        .spec(problem(401, "UNAUTHORIZED"));
    given()
        .auth()
        .oauth2(TestTokens.player())
        .contentType(ContentType.JSON)
        .body(body)
        .when()
        .post("/api/sessions/" + session.hex() + "/receipts/verify")
        .then()
        .spec(problem(403, "FORBIDDEN"));
  }

  /** The role is checked before the body is read: a stranger learns nothing from the parser. */
  @Test
  void verify_malformedBodyWithoutTokenOrRole_returns401Or403NotA400() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"tips\": [")
        .when()
        .post("/api/sessions/" + session.hex() + "/receipts/verify")
        .then()
        .spec(problem(401, "UNAUTHORIZED"));
    given()
        .auth()
        .oauth2(TestTokens.player())
        .contentType(ContentType.JSON)
        .body("{\"tips\": [")
        .when()
        .post("/api/sessions/" + session.hex() + "/receipts/verify")
        .then()
        .spec(problem(403, "FORBIDDEN"));
  }

  // --- fixtures -----------------------------------------------------------------------------

  private static ValidatableResponse verify(SessionId id, Map<String, ?> body) {
    return given()
        .auth()
        .oauth2(TestTokens.operator())
        .contentType(ContentType.JSON)
        .body(body)
        .when()
        .post("/api/sessions/" + id.hex() + "/receipts/verify")
        .then();
  }

  /** A ClientInput frame of {@code id}, signed by a test client. */
  private static byte[] input(SessionId id, long nonce) {
    ClientInput input =
        new ClientInput(
            id, 1, Sha256.hash(new byte[] {7}), nonce, new Vec2((int) nonce * 10, 0), 0);
    return Codec.encode(Signed.sign(input, TestKeys.CLIENT_A));
  }

  /**
   * Notarizes {@code tip} at {@code counter} the way the VS does: a TranscriptDigest signed by the
   * session key, a ProtectedReceipt over its hash attested by the VS key, written by the audit
   * writer's store. Returns the digest frame.
   */
  private byte[] notarize(SessionId id, long counter, Hash tip) throws SigningException {
    byte[] digest =
        Codec.encode(
            Signed.sign(
                new TranscriptDigest(id, counter, counter * 10, 1_000 + counter, tip, List.of()),
                TestKeys.GS_SESSION));
    ProtectedReceipt statement =
        new ProtectedReceipt(id, counter, tip, Sha256.hash(digest), 2_000 + counter);
    Attested<ProtectedReceipt> receipt =
        BatchSealer.seal(List.of(statement), 0, Hash.ZERO, 2_000, TestKeys.VS_ROOT)
            .attest(statement, 0);
    store.write(List.of(new ReceiptRecord(receipt, Bytes.copyOf(digest)))).await().atMost(WAIT);
    return digest;
  }

  private static List<Hash> fold(List<byte[]> frames) {
    List<Hash> result = new ArrayList<>();
    Hash tip = ReceiptTip.GENESIS;
    result.add(tip);
    for (byte[] frame : frames) {
      tip = ReceiptTip.fold(tip, frame);
      result.add(tip);
    }
    return result;
  }

  private String hex(int prefix) {
    return tips.get(prefix).hex();
  }

  private static List<String> base64(List<byte[]> frames) {
    return frames.stream().map(f -> Base64.getEncoder().encodeToString(f)).toList();
  }
}
