package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Limits;
import java.util.regex.Pattern;

/**
 * A game server's enrolled name: 1..64 characters of {@code [a-z0-9._-]}, starting with a letter or
 * digit. Kept to a small ASCII alphabet so it is safe in logs, URLs, Redis keys and file names.
 */
public record GsId(String value) {
  private static final Pattern SYNTAX =
      Pattern.compile("[a-z0-9][a-z0-9._-]{0," + (Limits.MAX_GS_ID_LENGTH - 1) + "}");

  public GsId {
    requireNonNull(value, "value");
    if (!SYNTAX.matcher(value).matches()) {
      throw new IllegalArgumentException("game server id must match " + SYNTAX.pattern());
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
