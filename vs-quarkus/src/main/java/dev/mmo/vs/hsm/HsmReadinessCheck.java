package dev.mmo.vs.hsm;

import static java.util.Objects.requireNonNull;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check "hsm": DOWN while the token cannot sign, so the VS takes no traffic it could not
 * back. It reads the signer's last outcome and never touches the token itself; the signer's probe
 * keeps that outcome current while nothing else signs.
 *
 * <p>Its detail is one of two fixed texts: why the token failed (provider and PKCS#11 errors,
 * paths) is for the VS log, where the signer writes it, not for whoever can reach the health
 * endpoint.
 */
@Readiness
@ApplicationScoped
public class HsmReadinessCheck implements HealthCheck {
  static final String UP_DETAIL = "signing";
  static final String DOWN_DETAIL = "the token cannot sign; see the VS log";

  private final HsmSigner hsm;

  public HsmReadinessCheck(HsmSigner hsm) {
    this.hsm = requireNonNull(hsm, "hsm");
  }

  @Override
  public HealthCheckResponse call() {
    HsmSigner.Status status = hsm.status();
    return HealthCheckResponse.named("hsm")
        .status(status.up())
        .withData("detail", status.up() ? UP_DETAIL : DOWN_DETAIL)
        .build();
  }
}
