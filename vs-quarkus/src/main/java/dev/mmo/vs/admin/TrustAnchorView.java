package dev.mmo.vs.admin;

import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A VS public key for clients and game servers to pin (docs/protocol.md section 6.3). */
@Schema(name = "TrustAnchor", description = "A VS public key (ECDSA P-256) to pin.")
public record TrustAnchorView(
    @Schema(description = "SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex.") String keyId,
    @Schema(description = "The uncompressed point 04 || X || Y (65 bytes), lowercase hex.")
        String publicKey,
    @Schema(description = "The SubjectPublicKeyInfo as PEM.") String publicKeyPem) {

  private static final Base64.Encoder PEM_BASE64 =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  static TrustAnchorView of(EcdsaP256PublicKey key) {
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + PEM_BASE64.encodeToString(key.spkiDer())
            + "\n-----END PUBLIC KEY-----\n";
    return new TrustAnchorView(key.keyId().hex(), key.uncompressedPoint().hex(), pem);
  }
}
