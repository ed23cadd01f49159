package dev.mmo.protocol.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmo.protocol.bytes.Hex;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.trust.TrustAnchors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the golden vector files from the classpath ({@code /vectors/}), for every module's tests.
 */
public final class Vectors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Vectors() {}

  public static JsonNode load(String fileName) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + fileName)) {
      if (in == null) {
        throw new IllegalArgumentException("no vector file " + fileName);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code node} as it reads back from a file, so rendered and parsed JSON compare equal. */
  public static JsonNode normalize(JsonNode node) {
    try {
      return MAPPER.readTree(MAPPER.writeValueAsString(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] hex(JsonNode node) {
    return Hex.decode(node.asText());
  }

  public static TrustAnchors anchors(JsonNode file) {
    List<EcdsaP256PublicKey> keys = new ArrayList<>();
    for (JsonNode k : file.get("trust_anchors")) {
      keys.add(EcdsaP256PublicKey.fromUncompressedPoint(hex(k)));
    }
    return TrustAnchors.of(keys);
  }
}
