package dev.mmo.protocol.merkle;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import java.util.List;

/**
 * RFC 9162 Merkle tree hashing (section 2.1.1) and inclusion proof verification (section 2.1.3.2).
 */
public final class Merkle {
  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  private Merkle() {}

  /** {@code SHA-256(0x00 || data)}. */
  public static Hash leafHash(byte[] data) {
    return Sha256.hash(new byte[] {LEAF_PREFIX}, data);
  }

  /** {@code SHA-256(0x01 || left || right)}. */
  public static Hash nodeHash(Hash left, Hash right) {
    return Sha256.hash(NODE_PREFIX, left, right);
  }

  /**
   * The root that {@code auditPath} proves for leaf {@code leafIndex} of a tree of {@code treeSize}
   * leaves.
   *
   * @throws Rejection with {@link Reason#BAD_PROOF} when the index is outside the tree or the path
   *     has the wrong length for it
   */
  public static Hash rootFromAuditPath(
      Hash leafHash, long leafIndex, long treeSize, List<Hash> auditPath) throws Rejection {
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new Rejection(Reason.BAD_PROOF, "leaf " + leafIndex + " outside tree of " + treeSize);
    }
    long fn = leafIndex;
    long sn = treeSize - 1;
    Hash r = leafHash;
    for (Hash p : auditPath) {
      if (sn == 0) {
        throw new Rejection(Reason.BAD_PROOF, "audit path longer than the tree is deep");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        // A right-most node with no sibling at this level is promoted unchanged: skip those levels.
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new Rejection(Reason.BAD_PROOF, "audit path shorter than the tree is deep");
    }
    return r;
  }

  /**
   * The number of hashes in the audit path of leaf {@code leafIndex} in a tree of {@code treeSize}.
   */
  public static int auditPathLength(long leafIndex, long treeSize) {
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new IllegalArgumentException("leaf " + leafIndex + " outside tree of " + treeSize);
    }
    int length = 0;
    long index = leafIndex;
    long size = treeSize;
    while (size > 1) {
      if ((index ^ 1) < size) {
        length++;
      }
      index >>= 1;
      size = (size + 1) >> 1;
    }
    return length;
  }
}
