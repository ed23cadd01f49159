package dev.mmo.protocol.trust;

import dev.mmo.protocol.bytes.Hex;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The trust anchors file that game servers, clients and the auditor read: one VS public key per
 * line, the 65-byte uncompressed P-256 point {@code 04 || X || Y} as 130 lowercase hex characters
 * (the {@code publicKey} field of the VS's {@code GET /api/trust-anchors}). Blank lines and lines
 * starting with {@code #} are ignored. At least one key and at most {@value #MAX_KEYS}; a key
 * listed twice, or any other line, is an error, and every bad line is named.
 */
public final class TrustAnchorsFile {
  static final int MAX_KEYS = 64;
  private static final long MAX_FILE_BYTES = 64 * 1024;

  private TrustAnchorsFile() {}

  /**
   * @throws IOException when the file cannot be read or is not a valid trust anchors file
   */
  public static TrustAnchors read(Path file) throws IOException {
    List<String> lines;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IOException(file + ": larger than a trust anchors file can be");
      }
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IOException(file + ": cannot be read: " + e.getMessage(), e);
    }
    return parse(file.toString(), lines);
  }

  /**
   * @param source what to name in errors (the file)
   * @throws IOException naming every bad line
   */
  public static TrustAnchors parse(String source, List<String> lines) throws IOException {
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
        if (!keys.add(EcdsaP256PublicKey.fromUncompressedPoint(Hex.decode(line)))) {
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
      throw new IOException(String.join("; ", errors));
    }
    return TrustAnchors.of(keys);
  }
}
