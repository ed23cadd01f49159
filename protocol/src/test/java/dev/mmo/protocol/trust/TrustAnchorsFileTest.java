package dev.mmo.protocol.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.SoftwareEcdsaSigner;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustAnchorsFileTest {
  private final EcdsaP256PublicKey a = SoftwareEcdsaSigner.generate(new SecureRandom()).publicKey();
  private final EcdsaP256PublicKey b = SoftwareEcdsaSigner.generate(new SecureRandom()).publicKey();

  @Test
  void parse_keysCommentsAndBlankLines() throws Exception {
    var anchors =
        TrustAnchorsFile.parse(
            "t",
            List.of(
                "# VS keys", "", a.uncompressedPoint().hex(), "  " + b.uncompressedPoint().hex()));

    assertThat(anchors.find(a.keyId())).contains(a);
    assertThat(anchors.find(b.keyId())).contains(b);
  }

  @Test
  void parse_badLines_refused() {
    String hex = a.uncompressedPoint().hex();
    List<List<String>> cases =
        List.of(
            List.of(),
            List.of("# only a comment"),
            List.of(hex.toUpperCase(java.util.Locale.ROOT)),
            List.of(hex.substring(2)),
            List.of("05" + hex.substring(2)),
            List.of(hex, hex),
            List.of(
                hex.substring(0, 128) + (hex.charAt(128) == '0' ? "1" : "0") + hex.substring(129)));
    for (List<String> lines : cases) {
      assertThatThrownBy(() -> TrustAnchorsFile.parse("t", lines))
          .as(lines.toString())
          .isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void parse_moreKeysThanTheLimit_refused() {
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i <= TrustAnchorsFile.MAX_KEYS; i++) {
      lines.add(
          SoftwareEcdsaSigner.generate(new SecureRandom()).publicKey().uncompressedPoint().hex());
    }
    assertThatThrownBy(() -> TrustAnchorsFile.parse("t", lines))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("more than 64 trust anchors");
  }
}
