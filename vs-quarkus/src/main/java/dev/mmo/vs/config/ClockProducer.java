package dev.mmo.vs.config;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The one wall clock of the VS. Everything that stamps or judges time injects it, so a test can
 * install a fixed clock ({@code QuarkusMock.installMockForType}) or declare its own {@link Clock}
 * bean, which replaces this default.
 */
@Singleton
public class ClockProducer {
  @Produces
  @ApplicationScoped
  @DefaultBean
  Clock systemClock() {
    return Clock.systemUTC();
  }
}
