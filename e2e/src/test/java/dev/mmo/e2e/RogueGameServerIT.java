package dev.mmo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.GameRules;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rogue game servers against the VS process: each lies in one way the VS must catch, and is revoked
 * with the right reason, while an honest game server (a real GS process) on the same VS keeps its
 * blessing and its receipts throughout.
 */
class RogueGameServerIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static Vs vs;
  private static Admin admin;
  private static VsProofVerifier proofs;
  private static Gs honest;

  @BeforeAll
  static void startVsAndAnHonestGameServer() throws Exception {
    vs = Vs.start(Map.of());
    admin = Admin.of(vs);
    proofs = admin.proofVerifier();
    byte[] suffix = new byte[6];
    new SecureRandom().nextBytes(suffix);
    honest = Gs.enrolled("honest-" + HexFormat.of().formatHex(suffix), vs, admin).start(vs);
  }

  @AfterAll
  static void stop() {
    if (honest != null) {
      honest.close();
    }
    if (vs != null) {
      vs.close();
    }
  }

  /** After every attack: the honest game server is still blessed and still notarized. */
  @AfterEach
  void honestGameServerUnaffected() throws Exception {
    double receipts = honest.metric("mmo_gs_link_receipts_received_total");
    Stack.await(
        WAIT,
        "the honest GS still ready and notarized",
        () ->
            honest.ready() && honest.metric("mmo_gs_link_receipts_received_total") >= receipts + 2,
        () -> "honest GS log:\n" + logOf(honest));
    assertThat(honest.metric("mmo_gs_link_joins_total")).isEqualTo(1);
  }

  @Test
  void swHashChangedAtAHeartbeat_revokedWithSwHashMismatch() throws Exception {
    try (RogueGs rogue = RogueGs.joined(vs, admin, proofs)) {
      rogue.send(rogue.heartbeat(1, RogueGs.SOFTWARE));
      rogue.send(
          rogue.heartbeat(2, Sha256.hash("patched build".getBytes(StandardCharsets.US_ASCII))));

      assertRevoked(rogue, Reason.SW_HASH_MISMATCH);
    }
  }

  @Test
  void heartbeatCounterRolledBack_revokedWithCounterNotIncreasing() throws Exception {
    try (RogueGs rogue = RogueGs.joined(vs, admin, proofs)) {
      rogue.send(rogue.heartbeat(5, RogueGs.SOFTWARE));
      rogue.send(rogue.heartbeat(3, RogueGs.SOFTWARE));

      assertRevoked(rogue, Reason.COUNTER_NOT_INCREASING);
    }
  }

  @Test
  void teleportingGameServer_physicsAuditRevokesWithTheEvidence() throws Exception {
    try (RogueGs rogue = RogueGs.joined(vs, admin, proofs)) {
      GameRules rules = rogue.accept().rules();
      Bounds bounds = rules.bounds();
      long step = rules.maxStepPerTick();
      Ed25519KeyPair player = Ed25519KeyPair.generate(new SecureRandom());
      Vec2 start = new Vec2(bounds.minX(), bounds.minY());
      Vec2 far = new Vec2((int) Math.min(bounds.maxX(), bounds.minX() + 100 * step), bounds.minY());
      assertThat((long) far.x() - start.x()).isGreaterThan(2 * step);
      Thread.sleep(300); // let a few ticks of VS time pass: the digest's ticks must have happened

      rogue.send(rogue.digest(1, 2, List.of(new PlayerPosition(player.publicKey(), start))));
      assertThat(rogue.next(ProtectedReceipt.class).gsCounter()).isEqualTo(1);
      Thread.sleep(150);
      // Two ticks later, a hundred steps away.
      rogue.send(rogue.digest(2, 4, List.of(new PlayerPosition(player.publicKey(), far))));

      Revoke revoke = assertRevoked(rogue, Reason.SPEED_VIOLATION);
      JsonNode recorded = revocationOf(revoke);
      assertThat(recorded.get("reasonCode").asInt()).isEqualTo(Reason.SPEED_VIOLATION.code());
      assertThat(recorded.get("evidence").toString()).contains(player.publicKey().hex());
    }
  }

  private static String logOf(Gs gs) {
    try {
      return gs.logText();
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static Revoke assertRevoked(RogueGs rogue, Reason reason) throws Exception {
    Revoke revoke = rogue.revoked();
    assertThat(revoke.sessionId()).isEqualTo(rogue.accept().sessionId());
    assertThat(revoke.reasonCode()).isEqualTo(reason.code());
    assertThat(rogue.closeStatus()).isEqualTo(Reason.CLOSE_CODE_BASE + reason.code());
    return revoke;
  }

  /** The revocation as the audit API shows it, once the audit trail has it. */
  private static JsonNode revocationOf(Revoke revoke) throws Exception {
    String path = "/api/sessions/" + revoke.sessionId().hex() + "/revocations";
    Stack.await(
        WAIT,
        "the revocation in the audit trail",
        () -> admin.get(path).get("items").size() == 1,
        () -> path);
    return admin.get(path).get("items").get(0);
  }
}
