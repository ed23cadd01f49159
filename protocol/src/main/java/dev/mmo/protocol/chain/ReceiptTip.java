package dev.mmo.protocol.chain;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;

/**
 * The rolling hash over every signed input a game server accepted, in order: {@code tip' =
 * SHA-256(tip || SHA-256(signed ClientInput frame))}, starting from 32 zero bytes. A receipt for a
 * tip commits the GS to the whole input history before it.
 */
public final class ReceiptTip {
  /** The tip before any input. */
  public static final Hash GENESIS = Hash.ZERO;

  private ReceiptTip() {}

  /**
   * The tip after {@code signedInputFrame} (the complete encoded ClientInput frame, signature
   * included).
   */
  public static Hash fold(Hash tip, byte[] signedInputFrame) {
    return Sha256.hash(tip.toByteArray(), Sha256.digest(signedInputFrame));
  }
}
