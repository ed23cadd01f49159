package dev.mmo.vs.audit;

import java.time.Duration;

/**
 * {@link AuditConfig} as a value for unit tests: the record's components are the interface's
 * methods. {@link #defaults()} is the shipped shape with short waits; the withers change what a
 * test is about.
 */
record AuditSettings(
    int batchSize,
    Duration batchWindow,
    Duration retryInitialBackoff,
    Duration retryMaxBackoff,
    Duration writeTimeout,
    Duration confirmTimeout,
    int maxUnconfirmed,
    int groupMaxRecords,
    Duration groupLinger,
    Duration healthInterval)
    implements AuditConfig {

  static AuditSettings defaults() {
    return new AuditSettings(
        256,
        Duration.ofMillis(20),
        Duration.ofMillis(5),
        Duration.ofMillis(20),
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        16,
        64,
        Duration.ofMillis(2),
        Duration.ofSeconds(1));
  }

  AuditSettings withBatchSize(int size) {
    return new AuditSettings(
        size,
        batchWindow,
        retryInitialBackoff,
        retryMaxBackoff,
        writeTimeout,
        confirmTimeout,
        maxUnconfirmed,
        groupMaxRecords,
        groupLinger,
        healthInterval);
  }

  AuditSettings withConfirmTimeout(Duration timeout) {
    return new AuditSettings(
        batchSize,
        batchWindow,
        retryInitialBackoff,
        retryMaxBackoff,
        writeTimeout,
        timeout,
        maxUnconfirmed,
        groupMaxRecords,
        groupLinger,
        healthInterval);
  }

  AuditSettings withGroups(int maxRecords, Duration linger) {
    return new AuditSettings(
        batchSize,
        batchWindow,
        retryInitialBackoff,
        retryMaxBackoff,
        writeTimeout,
        confirmTimeout,
        maxUnconfirmed,
        maxRecords,
        linger,
        healthInterval);
  }
}
