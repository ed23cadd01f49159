package dev.mmo.vs.admin;

import static java.util.Objects.requireNonNull;

import dev.mmo.vs.hsm.HsmSigner;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The VS public keys that clients and game servers pin (docs/protocol.md section 6.3). */
@ApplicationScoped
public class TrustAnchorService {
  private final HsmSigner signer;

  public TrustAnchorService(HsmSigner signer) {
    this.signer = requireNonNull(signer, "signer");
  }

  /**
   * The keys the VS signs with: today the one key on the HSM, as the signer's last successful login
   * found it. Never touches the token (a public request must not make the HSM log in), so it is
   * safe on an event loop.
   *
   * @throws TrustAnchorsUnavailableException when no login to the token has succeeded yet
   */
  public List<TrustAnchorView> anchors() {
    return signer
        .lastKnownPublicKey()
        .map(key -> List.of(TrustAnchorView.of(key)))
        .orElseThrow(TrustAnchorsUnavailableException::new);
  }
}
