package dev.mmo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.SessionId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A game server's life against the VS, both as separate processes from their packaged jars: set up
 * as an operator would (keygen, enrollment through the admin API, trust anchors), blessed, its
 * digests notarized with receipts that verify against the trust anchors, resumed across a VS crash,
 * and thrown out by an operator's revocation.
 */
class GameServerLifecycleIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static Vs vs;
  private static Admin admin;
  private static VsProofVerifier proofs;

  @BeforeAll
  static void startVs() throws Exception {
    vs = Vs.start(Map.of());
    admin = Admin.of(vs);
    proofs = admin.proofVerifier();
  }

  @AfterAll
  static void stopVs() {
    if (vs != null) {
      vs.close();
    }
  }

  @Test
  void honestGameServer_isBlessedAndEveryReceiptOfItsSessionVerifies() throws Exception {
    try (Gs gs = Gs.enrolled(freshId(), vs, admin).start(vs)) {
      String session = gs.session().orElseThrow();
      Stack.await(
          WAIT,
          "three receipts at the GS",
          () -> gs.metric("mmo_gs_link_receipts_received_total") >= 3,
          () -> "log:\n" + logOf(gs));
      // The audit trail writes through the queue, a moment after the receipts were released.
      Stack.await(
          WAIT,
          "three receipts in the audit trail",
          () -> receipts(session).size() >= 3,
          () -> "receipts: " + receiptsOrError(session));

      for (JsonNode row : receipts(session)) {
        byte[] frame = Base64.getDecoder().decode(row.get("receipt").asText());
        byte[] digest = Base64.getDecoder().decode(row.get("digest").asText());
        ProtectedReceipt receipt =
            proofs.verify(Codec.decodeAttested(frame, ProtectedReceipt.class));
        assertThat(receipt.sessionId()).isEqualTo(SessionId.fromHex(session));
        assertThat(receipt.gsCounter()).isEqualTo(row.get("gsCounter").asLong());
        assertThat(receipt.digestHash()).isEqualTo(Hashes.frameHash(digest));
        assertThat(receipt.receiptTip().hex()).isEqualTo(row.get("receiptTip").asText());
      }
    }
  }

  @Test
  void auditor_onAnHonestGameServersTranscript_passesAgainstTheVsReceipts() throws Exception {
    try (Gs gs = Gs.enrolled(freshId(), vs, admin).start(vs)) {
      String session = gs.session().orElseThrow();
      Stack.await(
          WAIT,
          "three receipts in the audit trail",
          () -> receipts(session).size() >= 3,
          () -> "receipts: " + receiptsOrError(session));
      gs.stop();
      Path token = Files.createTempFile("e2e-operator-", ".jwt");
      Files.writeString(token, admin.token());

      List<String> verdict =
          Stack.run(
              Stack.ROOT,
              Stack.java(),
              "-jar",
              Stack.ROOT.resolve("auditor/target/auditor.jar").toString(),
              "audit",
              "--transcript",
              gs.transcripts().resolve(session + ".transcript").toString(),
              "--vs",
              vs.http().toString(),
              "--token-file",
              token.toString(),
              "--trust-anchors",
              gs.anchors().toString());

      assertThat(String.join("\n", verdict)).startsWith("PASS");
    }
  }

  @Test
  void operatorRevokesTheGameServer_itsSessionEndsAndTheGsLeaves() throws Exception {
    try (Gs gs = Gs.enrolled(freshId(), vs, admin).start(vs)) {
      String session = gs.session().orElseThrow();

      admin.post("/api/game-servers/" + gs.id() + "/revoke", "{\"reason\":\"e2e\"}", 200);

      Optional<Integer> exit = gs.exitWithin(WAIT);
      assertThat(exit).as("GS still running; log:\n%s", logOf(gs)).contains(3);
      assertThat(gs.logText()).contains("session revoked, reason code 53");
      JsonNode ended = admin.get("/api/sessions/" + session);
      assertThat(ended.get("status").asText()).isEqualTo("REVOKED");
      assertThat(ended.get("endReason").asInt()).isEqualTo(53);
      assertThat(admin.get("/api/game-servers/" + gs.id()).get("status").asText())
          .isEqualTo("REVOKED");
    }
  }

  @Test
  void vsCrashesMidMatch_theGsResumesTheSameSessionAndGoesOn() throws Exception {
    try (Vs own = Vs.start(Map.of());
        Gs gs = Gs.enrolled(freshId(), own, Admin.of(own)).start(own)) {
      String session = gs.session().orElseThrow();
      Stack.await(
          WAIT,
          "a first receipt",
          () -> gs.metric("mmo_gs_link_receipts_received_total") >= 1,
          () -> logOf(gs));

      own.crashAndRestart();
      double before = gs.metric("mmo_gs_link_receipts_received_total");

      Stack.await(
          WAIT,
          "a resume and new receipts",
          () ->
              gs.metric("mmo_gs_link_resumes_total") >= 1
                  && gs.metric("mmo_gs_link_receipts_received_total") >= before + 2
                  && gs.ready(),
          () -> logOf(gs));
      assertThat(gs.session()).contains(session);
      assertThat(gs.metric("mmo_gs_link_joins_total")).isEqualTo(1);
    }
  }

  private static List<JsonNode> receipts(String session) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    admin.get("/api/sessions/" + session + "/receipts?limit=100").get("items").forEach(rows::add);
    return rows;
  }

  private static String receiptsOrError(String session) {
    try {
      return receipts(session).toString();
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static String logOf(Gs gs) {
    try {
      return gs.logText();
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static String freshId() {
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    return "e2e-" + HexFormat.of().formatHex(random);
  }
}
