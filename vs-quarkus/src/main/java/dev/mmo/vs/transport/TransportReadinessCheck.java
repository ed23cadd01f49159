package dev.mmo.vs.transport;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check "transport": DOWN until the connection guard is on the HTTP port, so no traffic
 * reaches a port whose connections the guard does not hold to their budgets yet.
 */
@Readiness
@ApplicationScoped
public class TransportReadinessCheck implements HealthCheck {
  private final TransportGuard guard;

  public TransportReadinessCheck(TransportGuard guard) {
    this.guard = guard;
  }

  @Override
  public HealthCheckResponse call() {
    boolean up = guard.guarded();
    return HealthCheckResponse.named("transport")
        .status(up)
        .withData("detail", up ? "guarded" : "the connection guard is not on the port yet")
        .build();
  }
}
