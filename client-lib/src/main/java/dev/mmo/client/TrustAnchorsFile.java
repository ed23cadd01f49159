package dev.mmo.client;

import dev.mmo.protocol.bytes.Hex;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.trust.TrustAnchors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the trust anchors file the game server reads too: one VS key per line, the 65-byte
 * uncompressed P-256 point as 130 lowercase hex characters; blank lines and {@code #} comments are
 * skipped. At least one key, at most 64; anything else is an error.
 */
public final class TrustAnchorsFile {
  private static final int MAX_KEYS = 64;
  private static final long MAX_FILE_BYTES = 64 * 1024;

  private TrustAnchorsFile() {}

  public static TrustAnchors read(Path file) throws IOException {
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IOException(file + ": larger than a trust anchors file can be");
    }
    return parse(file.toString(), Files.readAllLines(file, StandardCharsets.US_ASCII));
  }

  /**
   * @throws IOException naming the first bad line
   */
  public static TrustAnchors parse(String source, List<String> lines) throws IOException {
    Set<EcdsaP256PublicKey> keys = new LinkedHashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = source + " line " + (i + 1);
      if (!line.matches("[0-9a-f]{130}")) {
        throw new IOException(where + ": not 130 lowercase hex characters");
      }
      try {
        if (!keys.add(EcdsaP256PublicKey.fromUncompressedPoint(Hex.decode(line)))) {
          throw new IOException(where + ": the same key again");
        }
      } catch (IllegalArgumentException e) {
        throw new IOException(where + ": not a P-256 public key: " + e.getMessage());
      }
      if (keys.size() > MAX_KEYS) {
        throw new IOException(source + ": more than " + MAX_KEYS + " trust anchors");
      }
    }
    if (keys.isEmpty()) {
      throw new IOException(source + ": no trust anchor");
    }
    return TrustAnchors.of(keys);
  }
}
