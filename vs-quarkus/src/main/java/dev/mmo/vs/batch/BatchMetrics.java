package dev.mmo.vs.batch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The batch signer's meters. The one the project's goals hold us to is HSM signatures per statement
 * (at most 1/100, docs/benchmarks.md): {@code mmo.vs.batch.statements.per.signature} and the ratio
 * of {@code mmo.vs.batch.statements} to {@code mmo.vs.batch.heads.signed}. The token's own signing
 * latency is {@code mmo.vs.hsm.sign}; {@code mmo.vs.batch.hsm} is the whole HSM step of a batch.
 */
final class BatchMetrics {
  private final DistributionSummary batchSize;
  private final DistributionSummary statementsPerSignature;
  private final Counter statements;
  private final Counter headsSigned;
  private final Counter chainConflicts;
  private final Counter chainRebuilds;
  private final Timer sealLatency;
  private final Timer hsmStep;
  private final Map<BatchFailure.Reason, Counter> refused =
      new EnumMap<>(BatchFailure.Reason.class);

  BatchMetrics(MeterRegistry registry, IntSupplier queueDepth) {
    batchSize =
        DistributionSummary.builder("mmo.vs.batch.size")
            .description("Statements per released batch")
            .baseUnit("statements")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    statementsPerSignature =
        DistributionSummary.builder("mmo.vs.batch.statements.per.signature")
            .description("Statements released per HSM signature spent on their batch")
            .register(registry);
    statements =
        Counter.builder("mmo.vs.batch.statements")
            .description("Statements released with a proof")
            .register(registry);
    headsSigned =
        Counter.builder("mmo.vs.batch.heads.signed")
            .description("Batch heads the HSM signed, including heads lost to a chain conflict")
            .register(registry);
    chainConflicts =
        Counter.builder("mmo.vs.batch.chain.conflicts")
            .description("Times the chain tip had moved and a batch was chained again")
            .register(registry);
    sealLatency =
        Timer.builder("mmo.vs.batch.seal")
            .description("From a batch closing to its statements being released")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    hsmStep =
        Timer.builder("mmo.vs.batch.hsm")
            .description(
                "The HSM step of a batch: waiting for a sign thread, Merkle tree, signature, checks")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    for (BatchFailure.Reason reason : BatchFailure.Reason.values()) {
      refused.put(
          reason,
          Counter.builder("mmo.vs.batch.failures")
              .description("Statements refused because the VS could not back them, by reason")
              .tag("reason", reason.tag())
              .register(registry));
    }
    chainRebuilds =
        Counter.builder("mmo.vs.batch.chain.rebuilds")
            .description(
                "Times this replica found the chain tip unusable (absent, from an earlier Redis run,"
                    + " damaged, uncommitted) and went through a rebuild")
            .register(registry);
    Gauge.builder("mmo.vs.batch.queue", queueDepth::getAsInt)
        .description("Statements waiting for a batch")
        .register(registry);
  }

  void headSigned(long hsmStepNanos) {
    headsSigned.increment();
    hsmStep.record(hsmStepNanos, TimeUnit.NANOSECONDS);
  }

  void chainConflict() {
    chainConflicts.increment();
  }

  void chainRebuild() {
    chainRebuilds.increment();
  }

  void released(int size, int signatures, long sealNanos) {
    batchSize.record(size);
    statementsPerSignature.record((double) size / signatures);
    statements.increment(size);
    sealLatency.record(sealNanos, TimeUnit.NANOSECONDS);
  }

  void refused(BatchFailure.Reason reason, int count) {
    refused.get(reason).increment(count);
  }
}
