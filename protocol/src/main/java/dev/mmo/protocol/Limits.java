package dev.mmo.protocol;

/** Hard bounds of the wire format. A decoder rejects anything beyond them. */
public final class Limits {
  /** The largest frame any party accepts. Transports may set a lower limit. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;

  /** Player positions in one TranscriptDigest or WorldSnapshot. */
  public static final int MAX_POSITIONS = 1024;

  /** Tickets a ServerHello may carry. */
  public static final int MAX_HELLO_TICKETS = 4;

  /** Audit path length: enough for any tree of up to 2^32 - 1 leaves. */
  public static final int MAX_AUDIT_PATH = 32;

  /** Largest Merkle tree a batch may have (tree_size is an unsigned 32-bit field). */
  public static final long MAX_TREE_SIZE = 0xFFFF_FFFFL;

  /** Game server ids: 1..64 characters of {@code [a-z0-9._-]}, starting with a letter or digit. */
  public static final int MAX_GS_ID_LENGTH = 64;

  private Limits() {}
}
