package dev.mmo.protocol.wire;

import dev.mmo.protocol.bytes.Bytes;
import java.security.SecureRandom;

/** 32 random bytes a client sends so that the game server's answer cannot be replayed. */
public record Challenge(Bytes bytes) {
  public static final int LENGTH = 32;

  public Challenge {
    Bytes.requireLength(bytes, LENGTH, "challenge");
  }

  public static Challenge random(SecureRandom random) {
    return new Challenge(Bytes.random(random, LENGTH));
  }

  @Override
  public String toString() {
    return "Challenge[" + bytes.hex() + "]";
  }
}
