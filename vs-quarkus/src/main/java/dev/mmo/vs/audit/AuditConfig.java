package dev.mmo.vs.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The {@code mmo.vs.audit.*} settings of the durable audit pipeline (vs-quarkus/README.md, "The
 * audit pipeline"). The broker connection and the channels themselves are configured in the {@code
 * mp.messaging.*} block of application.properties.
 */
@ConfigMapping(prefix = "mmo.vs.audit")
public interface AuditConfig {
  /** The most records the writer commits in one PostgreSQL transaction. */
  @WithDefault("256")
  int batchSize();

  /** How long the writer waits for a batch to fill before it writes what it has. */
  @WithDefault("100ms")
  Duration batchWindow();

  /** First wait before a batch PostgreSQL refused is written again; doubles up to the maximum. */
  @WithDefault("100ms")
  Duration retryInitialBackoff();

  /** Longest wait between two attempts to write a held batch. */
  @WithDefault("5s")
  Duration retryMaxBackoff();

  /**
   * How long one batch write may take before it counts as failed and is retried: a connection that
   * died without a reset must not hold the trail up until TCP gives up on it. A write that commits
   * after all is harmless, the retry writes nothing twice.
   */
  @WithDefault("30s")
  Duration writeTimeout();

  /** How long a caller waits for the broker to confirm a record before it is refused. */
  @WithDefault("5s")
  Duration confirmTimeout();

  /**
   * The most records published and not yet confirmed; beyond it records are refused at once, so a
   * slow broker cannot make the VS buffer without bound.
   */
  @WithDefault("4096")
  int maxUnconfirmed();

  /**
   * The most receipts sent as one message (a group); 1 sends every receipt alone, in the envelope
   * an earlier writer reads too (vs-quarkus/README.md, "Rolling upgrade to grouped receipts").
   */
  @WithDefault("64")
  int groupMaxRecords();

  /** How long the first receipt of a group waits for others before the group is sent. */
  @WithDefault("2ms")
  Duration groupLinger();

  /** How often the broker's health (and so whether records are accepted) is read again. */
  @WithDefault("1s")
  Duration healthInterval();
}
