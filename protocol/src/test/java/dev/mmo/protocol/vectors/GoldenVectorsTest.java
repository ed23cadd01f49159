package dev.mmo.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.chain.ReceiptTip;
import dev.mmo.protocol.chain.TicketChainVerifier;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.merkle.Merkle;
import dev.mmo.protocol.merkle.MerkleTree;
import dev.mmo.protocol.testing.FrameCheck;
import dev.mmo.protocol.testing.Messages;
import dev.mmo.protocol.testing.Render;
import dev.mmo.protocol.testing.Vectors;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.BatchHead;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.MessageType;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.Signed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs every golden vector under {@code /vectors/} and collects every failure before asserting, so
 * one run shows all that is wrong.
 */
class GoldenVectorsTest {
  private static final Set<String> REQUIRED_NEGATIVES =
      Set.of(
          "bit-flip-body",
          "bit-flip-signature",
          "truncated",
          "trailing-byte",
          "wrong-domain-label",
          "wrong-version");

  @ParameterizedTest
  @EnumSource(value = MessageType.class, mode = EnumSource.Mode.EXCLUDE, names = "BATCH_HEAD")
  void messageVectors_everyVector_meetsItsExpectation(MessageType type) {
    JsonNode file = Vectors.load(Messages.fileName(type));
    VsProofVerifier proofs = new VsProofVerifier(Vectors.anchors(file));
    List<String> failures = new ArrayList<>();
    Set<String> names = new TreeSet<>();
    int positives = 0;
    for (JsonNode v : file.get("vectors")) {
      names.add(v.get("name").asText());
      byte[] frame = Vectors.hex(v.get("frame"));
      JsonNode keyNode = v.has("verify_key") ? v.get("verify_key") : file.get("verify_key");
      Ed25519PublicKey key = keyNode == null ? null : Ed25519PublicKey.of(Vectors.hex(keyNode));
      String expect = v.get("expect").asText();
      try {
        Frame decoded = FrameCheck.check(frame, type, key, proofs);
        if (!expect.equals("OK")) {
          failures.add(v.get("name").asText() + ": accepted, expected " + expect);
          continue;
        }
        positives++;
        Object content =
            decoded instanceof Signed<?> s ? s.body() : ((Attested<?>) decoded).statement();
        if (!Vectors.normalize(Render.of(content)).equals(v.get("fields"))) {
          failures.add(v.get("name").asText() + ": decoded fields differ from the vector's");
        }
        if (!Arrays.equals(Codec.encode(decoded), frame)) {
          failures.add(v.get("name").asText() + ": re-encoding differs from the frame");
        }
      } catch (Rejection r) {
        if (!r.reason().name().equals(expect)) {
          failures.add(
              v.get("name").asText() + ": rejected with " + r.reason() + ", expected " + expect);
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(positives).isGreaterThanOrEqualTo(1);
    assertThat(names).containsAll(REQUIRED_NEGATIVES);
  }

  @Test
  void batchHeadVectors_everyVector_meetsItsExpectation() {
    JsonNode file = Vectors.load("batch-head.json");
    VsProofVerifier proofs = new VsProofVerifier(Vectors.anchors(file), 0);
    List<String> failures = new ArrayList<>();
    Set<String> names = new TreeSet<>();
    for (JsonNode v : file.get("vectors")) {
      names.add(v.get("name").asText());
      String expect = v.get("expect").asText();
      try {
        BatchHead head = Codec.decodeBatchHead(Vectors.hex(v.get("frame")));
        proofs.verifyBatchHead(head, EcdsaP256Signature.of(Vectors.hex(v.get("signature"))));
        if (!expect.equals("OK")) {
          failures.add(v.get("name").asText() + ": accepted, expected " + expect);
        } else if (!Vectors.normalize(Render.of(head)).equals(v.get("fields"))) {
          failures.add(v.get("name").asText() + ": decoded fields differ");
        }
      } catch (Rejection r) {
        if (!r.reason().name().equals(expect)) {
          failures.add(
              v.get("name").asText() + ": rejected with " + r.reason() + ", expected " + expect);
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(names).contains("valid").containsAll(REQUIRED_NEGATIVES);
  }

  @Test
  void codecVectors_everyFrame_rejectedWithItsReason() {
    List<String> failures = new ArrayList<>();
    for (JsonNode v : Vectors.load("codec.json").get("vectors")) {
      try {
        Codec.decode(Vectors.hex(v.get("frame")));
        failures.add(v.get("name").asText() + ": accepted");
      } catch (Rejection r) {
        if (!r.reason().name().equals(v.get("expect").asText())) {
          failures.add(v.get("name").asText() + ": rejected with " + r.reason());
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void merkleVectors_everyLeafOfEveryTree_provesTheRoot() throws Rejection {
    JsonNode file = Vectors.load("merkle.json");
    List<String> failures = new ArrayList<>();
    Set<Integer> sizes = new TreeSet<>();
    for (JsonNode t : file.get("trees")) {
      int size = t.get("tree_size").asInt();
      sizes.add(size);
      Hash root = Hash.fromHex(t.get("root").asText());
      List<Hash> leafHashes = new ArrayList<>();
      for (JsonNode leaf : t.get("leaves")) {
        leafHashes.add(Merkle.leafHash(Vectors.hex(leaf.get("data"))));
      }
      MerkleTree tree = MerkleTree.build(leafHashes);
      if (!tree.root().equals(root)) {
        failures.add("size " + size + ": built root differs");
      }
      assertThat(t.get("leaves")).hasSize(size);
      for (JsonNode leaf : t.get("leaves")) {
        int index = leaf.get("leaf_index").asInt();
        List<Hash> path = hashes(leaf.get("audit_path"));
        if (!leafHashes.get(index).equals(Hash.fromHex(leaf.get("leaf_hash").asText()))) {
          failures.add("size " + size + " leaf " + index + ": leaf hash differs");
        }
        if (!tree.auditPath(index).equals(path)) {
          failures.add("size " + size + " leaf " + index + ": built path differs");
        }
        if (!Merkle.rootFromAuditPath(leafHashes.get(index), index, size, path).equals(root)) {
          failures.add("size " + size + " leaf " + index + ": path does not prove the root");
        }
      }
    }
    for (JsonNode n : file.get("negative")) {
      try {
        Hash r =
            Merkle.rootFromAuditPath(
                Hash.fromHex(n.get("leaf_hash").asText()),
                n.get("leaf_index").asLong(),
                n.get("tree_size").asLong(),
                hashes(n.get("audit_path")));
        if (r.equals(Hash.fromHex(n.get("root").asText()))) {
          failures.add(n.get("name").asText() + ": proved the root");
        }
      } catch (Rejection r) {
        if (r.reason() != Reason.BAD_PROOF) {
          failures.add(n.get("name").asText() + ": rejected with " + r.reason());
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(sizes).containsExactlyInAnyOrderElementsOf(VectorGenerator.MERKLE_SIZES);
  }

  @Test
  void ticketChainVectors_everyStep_meetsItsExpectation() throws Rejection {
    JsonNode file = Vectors.load("ticket-chains.json");
    VsProofVerifier proofs = new VsProofVerifier(Vectors.anchors(file));
    JoinAccept accept =
        proofs.verify(Codec.decodeAttested(Vectors.hex(file.get("join_accept")), JoinAccept.class));
    long skew = file.get("allowed_skew_ms").asLong();
    List<String> failures = new ArrayList<>();
    Set<String> names = new TreeSet<>();
    for (JsonNode c : file.get("cases")) {
      names.add(c.get("name").asText());
      TicketChainVerifier chain = new TicketChainVerifier(proofs, accept, skew);
      int i = 0;
      for (JsonNode step : c.get("steps")) {
        String where = c.get("name").asText() + " step " + i++;
        String expect = step.get("expect").asText();
        try {
          if (step.has("fresh_at_vs_now_ms")) {
            chain.checkFresh(step.get("fresh_at_vs_now_ms").asLong());
          } else {
            Attested<PlayTicket> ticket =
                Codec.decodeAttested(Vectors.hex(step.get("ticket")), PlayTicket.class);
            chain.accept(ticket, step.get("vs_now_ms").asLong());
          }
          if (!expect.equals("OK")) {
            failures.add(where + ": accepted, expected " + expect);
          }
        } catch (Rejection r) {
          if (!r.reason().name().equals(expect)) {
            failures.add(where + ": rejected with " + r.reason() + ", expected " + expect);
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(names)
        .contains(
            "valid",
            "counter-gap",
            "broken-prev-hash",
            "expired",
            "not-yet-valid",
            "wrong-session");
  }

  @Test
  void receiptTipVectors_foldOfEachInput_matches() {
    JsonNode file = Vectors.load("receipt-tip.json");
    Hash tip = Hash.fromHex(file.get("initial_tip").asText());
    assertThat(tip).isEqualTo(ReceiptTip.GENESIS);
    for (JsonNode step : file.get("steps")) {
      tip = ReceiptTip.fold(tip, Vectors.hex(step.get("input")));
      assertThat(tip.hex()).isEqualTo(step.get("tip").asText());
    }
  }

  private static List<Hash> hashes(JsonNode array) {
    List<Hash> out = new ArrayList<>();
    array.forEach(h -> out.add(Hash.fromHex(h.asText())));
    return out;
  }
}
