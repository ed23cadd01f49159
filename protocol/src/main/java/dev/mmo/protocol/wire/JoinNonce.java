package dev.mmo.protocol.wire;

import dev.mmo.protocol.bytes.Bytes;
import java.security.SecureRandom;

/** 16 random bytes that make each JoinRequest unique; the VS refuses a nonce it has seen. */
public record JoinNonce(Bytes bytes) {
  public static final int LENGTH = 16;

  public JoinNonce {
    Bytes.requireLength(bytes, LENGTH, "join nonce");
  }

  public static JoinNonce random(SecureRandom random) {
    return new JoinNonce(Bytes.random(random, LENGTH));
  }

  @Override
  public String toString() {
    return "JoinNonce[" + bytes.hex() + "]";
  }
}
