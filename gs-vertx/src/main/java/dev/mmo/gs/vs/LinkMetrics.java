package dev.mmo.gs.vs;

import dev.mmo.protocol.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The VS link's counters ({@code mmo_gs_link_*} in Prometheus). */
final class LinkMetrics {
  private final MeterRegistry registry;
  final Counter joins;
  final Counter resumes;
  final Counter heartbeatsSent;
  final Counter digestsSent;
  final Counter digestsSkipped;
  final Counter receiptsReceived;
  final Counter ticketsReceived;
  final Counter ticketsResent;
  final Counter reconnects;
  final Counter busyRefusals;

  LinkMetrics(MeterRegistry registry) {
    this.registry = registry;
    joins = counter("mmo.gs.link.joins", "JoinRequests sent");
    resumes = counter("mmo.gs.link.resumes", "ResumeRequests sent");
    heartbeatsSent = counter("mmo.gs.link.heartbeats.sent", "Heartbeats sent");
    digestsSent = counter("mmo.gs.link.digests.sent", "TranscriptDigests sent");
    digestsSkipped =
        counter(
            "mmo.gs.link.digests.skipped",
            "digest rounds skipped: write queue full or the transcript state is not encodable");
    receiptsReceived =
        counter("mmo.gs.link.receipts.received", "ProtectedReceipts verified and matched");
    ticketsReceived = counter("mmo.gs.link.tickets.received", "PlayTickets verified and linked");
    ticketsResent =
        counter("mmo.gs.link.tickets.resent", "re-sent tickets already held, skipped after resume");
    reconnects = counter("mmo.gs.link.reconnects", "reconnects scheduled after a lost connection");
    busyRefusals =
        counter(
            "mmo.gs.link.busy.refusals",
            "joins the VS refused with SERVICE_UNAVAILABLE (at capacity); each waits vs.busy-retry");
  }

  void verificationFailure(Reason reason) {
    Counter.builder("mmo.gs.link.verification.failures")
        .description("VS frames refused, by reason")
        .tag("reason", reason.name())
        .register(registry)
        .increment();
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }
}
