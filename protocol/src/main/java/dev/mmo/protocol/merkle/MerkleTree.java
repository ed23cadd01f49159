package dev.mmo.protocol.merkle;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.crypto.Hash;
import java.util.ArrayList;
import java.util.List;

/**
 * A complete RFC 9162 Merkle tree over a list of leaf hashes, built once, answering audit paths.
 *
 * <p>Built level by level: pairs are hashed and a level's last node, when it has no sibling, moves
 * up unchanged. This gives exactly the tree of RFC 9162 section 2.1.1 (the left subtree always
 * holds the largest power of two below the size) in O(n) hashes.
 */
public final class MerkleTree {
  private final List<Hash[]> levels;

  private MerkleTree(List<Hash[]> levels) {
    this.levels = levels;
  }

  /** The tree over {@code leafHashes} (already {@link Merkle#leafHash}ed), in order. */
  public static MerkleTree build(List<Hash> leafHashes) {
    if (leafHashes.isEmpty() || leafHashes.size() > Limits.MAX_TREE_SIZE) {
      throw new IllegalArgumentException("tree size out of range: " + leafHashes.size());
    }
    List<Hash[]> levels = new ArrayList<>();
    Hash[] level = leafHashes.toArray(new Hash[0]);
    levels.add(level);
    while (level.length > 1) {
      Hash[] up = new Hash[(level.length + 1) / 2];
      for (int i = 0; i + 1 < level.length; i += 2) {
        up[i / 2] = Merkle.nodeHash(level[i], level[i + 1]);
      }
      if (level.length % 2 == 1) {
        up[up.length - 1] = level[level.length - 1];
      }
      levels.add(up);
      level = up;
    }
    return new MerkleTree(levels);
  }

  public int size() {
    return levels.get(0).length;
  }

  public Hash root() {
    return levels.get(levels.size() - 1)[0];
  }

  public Hash leaf(int index) {
    return levels.get(0)[index];
  }

  /** The sibling hashes from leaf {@code index} up to the root (RFC 9162 PATH). */
  public List<Hash> auditPath(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("leaf " + index + " outside tree of " + size());
    }
    List<Hash> path = new ArrayList<>();
    int i = index;
    for (int depth = 0; depth < levels.size() - 1; depth++) {
      Hash[] level = levels.get(depth);
      int sibling = i ^ 1;
      if (sibling < level.length) {
        path.add(level[sibling]);
      }
      i >>= 1;
    }
    return List.copyOf(path);
  }
}
