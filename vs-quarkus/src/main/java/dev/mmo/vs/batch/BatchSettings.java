package dev.mmo.vs.batch;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Limits;
import dev.mmo.vs.config.VsConfig;
import java.time.Duration;

/**
 * How statements are gathered into batches (docs/protocol.md section 6).
 *
 * @param window how long the first statement of a batch waits for company
 * @param maxSize the most statements (Merkle leaves) one batch holds
 * @param queueCapacity the most statements waiting; beyond it {@code sign} fails fast
 */
record BatchSettings(Duration window, int maxSize, int queueCapacity) {
  BatchSettings {
    requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("mmo.vs.batch.window must be positive");
    }
    if (maxSize < 1 || maxSize > Limits.MAX_TREE_SIZE) {
      throw new IllegalArgumentException("mmo.vs.batch.max-size out of range: " + maxSize);
    }
    if (queueCapacity < maxSize) {
      throw new IllegalArgumentException(
          "mmo.vs.batch.queue-capacity must hold at least one full batch");
    }
  }

  static BatchSettings of(VsConfig.Batch config) {
    return new BatchSettings(config.window(), config.maxSize(), config.queueCapacity());
  }
}
