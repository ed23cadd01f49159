package dev.mmo.vs.audit;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start with audit settings that would quietly give up a guarantee: a record counted as
 * durable without a broker confirm, a message acked before its commit, or a bad record requeued
 * forever instead of dead-lettered; and with limits that cannot work.
 */
@Startup
@ApplicationScoped
public class AuditConfigCheck {
  static final String CONFIRMS = "mp.messaging.outgoing.audit-out.publish-confirms";
  static final String AUTO_ACK = "mp.messaging.incoming.audit-in.auto-acknowledgement";
  static final String FAILURE_STRATEGY = "mp.messaging.incoming.audit-in.failure-strategy";
  static final String PREFETCH = "mp.messaging.incoming.audit-in.max-outstanding-messages";

  public AuditConfigCheck(
      AuditConfig config,
      @ConfigProperty(name = CONFIRMS) Optional<Boolean> confirms,
      @ConfigProperty(name = AUTO_ACK) Optional<Boolean> autoAck,
      @ConfigProperty(name = FAILURE_STRATEGY) Optional<String> failureStrategy,
      @ConfigProperty(name = PREFETCH) Optional<Integer> prefetch) {
    require(confirms.orElse(false), CONFIRMS + " must be true: a record is durable on its confirm");
    require(!autoAck.orElse(false), AUTO_ACK + " must be false: messages are acked after commit");
    require(
        "reject".equals(failureStrategy.orElse("reject")),
        FAILURE_STRATEGY + " must be reject: a bad record goes to the dead-letter queue");
    require(
        prefetch.orElse(0) >= 1,
        PREFETCH
            + " must be set (at least 1): it bounds what a replica holds while PostgreSQL is down");
    require(config.batchSize() >= 1, "mmo.vs.audit.batch-size must be at least 1");
    require(
        config.batchWindow().toMillis() >= 1, "mmo.vs.audit.batch-window must be at least 1 ms");
    require(
        config.retryInitialBackoff().toMillis() >= 1
            && config.retryMaxBackoff().compareTo(config.retryInitialBackoff()) >= 0,
        "mmo.vs.audit.retry-max-backoff must be at least retry-initial-backoff (at least 1 ms)");
    require(
        config.confirmTimeout().toMillis() >= 1, "mmo.vs.audit.confirm-timeout must be positive");
    require(config.writeTimeout().toMillis() >= 1, "mmo.vs.audit.write-timeout must be positive");
    require(config.maxUnconfirmed() >= 1, "mmo.vs.audit.max-unconfirmed must be at least 1");
    require(config.groupMaxRecords() >= 1, "mmo.vs.audit.group-max-records must be at least 1");
    require(
        config.groupLinger().toMillis() >= 1
            && config.groupLinger().compareTo(config.confirmTimeout()) < 0,
        "mmo.vs.audit.group-linger must be at least 1 ms and shorter than confirm-timeout");
    require(
        config.healthInterval().toMillis() >= 1, "mmo.vs.audit.health-interval must be positive");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
