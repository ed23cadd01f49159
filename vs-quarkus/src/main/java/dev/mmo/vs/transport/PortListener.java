package dev.mmo.vs.transport;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.transport.GuardListener;
import dev.mmo.transport.SourceLimits;
import dev.mmo.transport.Sources;
import dev.mmo.vs.gs.GsRejections;
import dev.mmo.vs.gs.LogLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.SocketAddress;
import org.jboss.logging.Logger;

/**
 * What the guards of one port tell: counted, and refusals logged by source (a few lines a second at
 * most). WebSocket refusals are the game-server endpoint's rejections; refusals at the accept are
 * the port's own.
 */
final class PortListener implements GuardListener {
  private static final Logger LOG = Logger.getLogger(PortListener.class);

  private final Port port;
  private final GsRejections rejections;
  private final LogLimiter logLimit = new LogLimiter(5, 10, System.currentTimeMillis());
  private final Counter upgradeTimeouts;
  private final Counter requestTimeouts;
  private final Counter full;
  private final Counter overSource;

  PortListener(Port port, GsRejections rejections, MeterRegistry meters) {
    this.port = port;
    this.rejections = rejections;
    this.upgradeTimeouts =
        Counter.builder("mmo.vs.http.upgrade.timeouts")
            .description(
                "connections closed for no answer or request head within the upgrade timeout")
            .tag("port", port.tag())
            .register(meters);
    this.requestTimeouts =
        Counter.builder("mmo.vs.http.request.timeouts")
            .description("connections closed for a request not answered within its timeout")
            .tag("port", port.tag())
            .register(meters);
    this.full = refusedAtTheAccept(port, "port-full", meters);
    this.overSource = refusedAtTheAccept(port, "source-limit", meters);
  }

  private static Counter refusedAtTheAccept(Port port, String why, MeterRegistry meters) {
    return Counter.builder("mmo.vs.http.connections.refused")
        .description("connections closed at the accept, by why")
        .tag("port", port.tag())
        .tag("why", why)
        .register(meters);
  }

  @Override
  public void refused(Reason reason, String detail, SocketAddress peer) {
    rejections.rejected(new Rejection(reason, detail), Sources.of(peer));
  }

  @Override
  public void upgradeTimedOut(SocketAddress peer) {
    upgradeTimeouts.increment();
  }

  @Override
  public void requestTimedOut(SocketAddress peer) {
    requestTimeouts.increment();
  }

  @Override
  public void overSourceLimit(SourceLimits.Verdict verdict, String source) {
    overSource.increment();
    log(source, "the source holds its most connections (" + verdict + ")");
  }

  @Override
  public void listenerFull(String source) {
    full.increment();
    log(source, "the port holds its most connections");
  }

  private void log(String source, String why) {
    long held = logLimit.tryLog(System.currentTimeMillis());
    if (held >= 0) {
      LOG.infof(
          "connection from %s closed at the accept on the %s port: %s%s",
          source, port.tag(), why, held > 0 ? " (" + held + " more not logged)" : "");
    }
  }
}
