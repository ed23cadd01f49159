package dev.mmo.protocol.wire;

import dev.mmo.protocol.bytes.Bytes;
import java.security.SecureRandom;

/** A session, named by 16 random bytes the VS chooses at join. */
public record SessionId(Bytes bytes) {
  public static final int LENGTH = 16;

  public SessionId {
    Bytes.requireLength(bytes, LENGTH, "session id");
  }

  public static SessionId random(SecureRandom random) {
    return new SessionId(Bytes.random(random, LENGTH));
  }

  public static SessionId fromHex(String hex) {
    return new SessionId(Bytes.fromHex(hex));
  }

  public String hex() {
    return bytes.hex();
  }

  @Override
  public String toString() {
    return "SessionId[" + bytes.hex() + "]";
  }
}
