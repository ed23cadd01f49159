package dev.mmo.vs.admin;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The VS public keys, for everyone: they are what clients pin. */
@Path("/api/trust-anchors")
@Tag(name = "Trust anchors", description = "The VS public keys clients and game servers pin.")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class TrustAnchorResource {
  private final TrustAnchorService service;

  public TrustAnchorResource(TrustAnchorService service) {
    this.service = service;
  }

  @GET
  @NonBlocking // reads the key the HSM signer already holds; never touches the token
  @Operation(
      summary = "The VS trust anchors",
      description =
          "The ECDSA P-256 keys the VS signs batch heads with (docs/protocol.md section 6.3)."
              + " Public, no token needed. Pin them out of band: this answer is only as"
              + " trustworthy as the channel it came over. Codes: TRUST_ANCHORS_UNAVAILABLE"
              + " (503: the VS has not logged in to its HSM since it started).")
  @APIResponse(responseCode = "200", description = "The VS public keys.")
  @APIResponse(responseCode = "503", ref = AdminApi.UNAVAILABLE)
  public List<TrustAnchorView> anchors() {
    return service.anchors();
  }
}
