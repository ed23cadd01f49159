package dev.mmo.gs.config;

import dev.mmo.protocol.bytes.Hex;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.trust.TrustAnchors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The VS public keys the GS trusts: a text file with one key per line, the 65-byte uncompressed
 * P-256 point {@code 04 || X || Y} as 130 lowercase hex characters (the {@code publicKey} field of
 * the VS's {@code GET /api/trust-anchors}). Blank lines and lines starting with {@code #} are
 * ignored. At least one key; a key listed twice, or any other line, is an error.
 */
public final class TrustAnchorsFile {
  private static final int MAX_KEYS = 64;
  private static final long MAX_FILE_BYTES = 64 * 1024;

  private TrustAnchorsFile() {}

  public static TrustAnchors read(Path file) throws ConfigException {
    List<String> lines;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new ConfigException(file + ": larger than a trust anchors file can be");
      }
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot be read: " + e.getMessage());
    }
    return parse(file.toString(), lines);
  }

  static TrustAnchors parse(String source, List<String> lines) throws ConfigException {
    Set<EcdsaP256PublicKey> keys = new LinkedHashSet<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = source + " line " + (i + 1);
      if (!line.matches("[0-9a-f]{130}")) {
        errors.add(where + ": not 130 lowercase hex characters");
        continue;
      }
      try {
        EcdsaP256PublicKey key = EcdsaP256PublicKey.fromUncompressedPoint(Hex.decode(line));
        if (!keys.add(key)) {
          errors.add(where + ": the same key again");
        }
      } catch (IllegalArgumentException e) {
        errors.add(where + ": not a P-256 public key: " + e.getMessage());
      }
    }
    if (keys.isEmpty() && errors.isEmpty()) {
      errors.add(source + ": no trust anchor");
    }
    if (keys.size() > MAX_KEYS) {
      errors.add(source + ": more than " + MAX_KEYS + " trust anchors");
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(String.join("; ", errors));
    }
    return TrustAnchors.of(keys);
  }
}
