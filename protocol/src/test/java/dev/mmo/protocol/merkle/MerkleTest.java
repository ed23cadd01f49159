package dev.mmo.protocol.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTest {
  @Test
  void build_certificateTransparencyReferenceTree_matchesPublishedRootsAndProofs()
      throws Rejection {
    JsonNode file = Vectors.load("merkle-rfc6962-reference.json");
    List<Hash> leaves = new ArrayList<>();
    file.get("leaves").forEach(l -> leaves.add(Merkle.leafHash(Vectors.hex(l))));
    for (int size = 1; size <= leaves.size(); size++) {
      MerkleTree tree = MerkleTree.build(leaves.subList(0, size));
      assertThat(tree.root().hex())
          .as("size " + size)
          .isEqualTo(file.get("roots_by_size").get(String.valueOf(size)).asText());
    }
    MerkleTree full = MerkleTree.build(leaves);
    for (JsonNode proof : file.get("inclusion_proofs")) {
      int index = proof.get("leaf_index").asInt();
      List<Hash> path = new ArrayList<>();
      proof.get("audit_path").forEach(h -> path.add(Hash.fromHex(h.asText())));
      assertThat(full.auditPath(index)).isEqualTo(path);
      assertThat(Merkle.rootFromAuditPath(leaves.get(index), index, 8, path))
          .isEqualTo(full.root());
    }
  }

  @Test
  void build_everySizeUpTo130_agreesWithTheRecursiveDefinitionOfRfc9162() throws Rejection {
    for (int size = 1; size <= 130; size++) {
      List<Hash> leaves = leaves(size);
      MerkleTree tree = MerkleTree.build(leaves);
      assertThat(tree.root()).as("size " + size).isEqualTo(recursiveRoot(leaves));
      for (int i = 0; i < size; i++) {
        List<Hash> path = tree.auditPath(i);
        assertThat(path).as("size %d leaf %d", size, i).isEqualTo(recursivePath(i, leaves));
        assertThat(path).hasSize(Merkle.auditPathLength(i, size));
        assertThat(Merkle.rootFromAuditPath(leaves.get(i), i, size, path)).isEqualTo(tree.root());
      }
    }
  }

  @Test
  void rootFromAuditPath_anyFlippedPathHash_neverProvesTheRoot() throws Rejection {
    List<Hash> leaves = leaves(13);
    MerkleTree tree = MerkleTree.build(leaves);
    for (int i = 0; i < 13; i++) {
      List<Hash> path = tree.auditPath(i);
      for (int j = 0; j < path.size(); j++) {
        List<Hash> bad = new ArrayList<>(path);
        byte[] h = bad.get(j).toByteArray();
        h[31] ^= 1;
        bad.set(j, Hash.of(h));
        assertThat(Merkle.rootFromAuditPath(leaves.get(i), i, 13, bad)).isNotEqualTo(tree.root());
      }
    }
  }

  @Test
  void rootFromAuditPath_indexOutsideTree_badProof() {
    assertThatThrownBy(() -> Merkle.rootFromAuditPath(leaves(1).get(0), 1, 1, List.of()))
        .isInstanceOf(Rejection.class)
        .extracting(e -> ((Rejection) e).reason())
        .isEqualTo(Reason.BAD_PROOF);
  }

  @Test
  void leafAndNodeHashes_areDomainSeparated() {
    Hash a = Merkle.leafHash(new byte[] {1});
    Hash b = Merkle.leafHash(new byte[] {2});
    byte[] concatenated = new byte[64];
    System.arraycopy(a.toByteArray(), 0, concatenated, 0, 32);
    System.arraycopy(b.toByteArray(), 0, concatenated, 32, 32);
    // A node can never pass for a leaf over the same 64 bytes (second-preimage resistance).
    assertThat(Merkle.leafHash(concatenated)).isNotEqualTo(Merkle.nodeHash(a, b));
  }

  private static List<Hash> leaves(int size) {
    List<Hash> leaves = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      leaves.add(Merkle.leafHash(new byte[] {(byte) i, (byte) (i >> 8), 42}));
    }
    return leaves;
  }

  /** MTH of RFC 9162 section 2.1.1, written as the RFC states it. */
  private static Hash recursiveRoot(List<Hash> leaves) {
    if (leaves.size() == 1) {
      return leaves.get(0);
    }
    int k = Integer.highestOneBit(leaves.size() - 1);
    return Merkle.nodeHash(
        recursiveRoot(leaves.subList(0, k)), recursiveRoot(leaves.subList(k, leaves.size())));
  }

  /** PATH of RFC 9162 section 2.1.3.1. */
  private static List<Hash> recursivePath(int m, List<Hash> leaves) {
    int n = leaves.size();
    if (n == 1) {
      return new ArrayList<>();
    }
    int k = Integer.highestOneBit(n - 1);
    List<Hash> path;
    if (m < k) {
      path = recursivePath(m, leaves.subList(0, k));
      path.add(recursiveRoot(leaves.subList(k, n)));
    } else {
      path = recursivePath(m - k, leaves.subList(k, n));
      path.add(recursiveRoot(leaves.subList(0, k)));
    }
    return path;
  }
}
