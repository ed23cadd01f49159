package dev.mmo.vs.gs;

import dev.mmo.vs.admission.ShedSessions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Carries out admission's decision to shed: closes the share of this replica's bound connections
 * that {@link ShedSessions} names, at least one, the most recently bound first, each with
 * SERVICE_UNAVAILABLE on its own context.
 */
// Started eagerly so that its counter is there, at 0, before the first shed.
@Startup
@ApplicationScoped
public class SessionShedding {
  private static final Logger LOG = Logger.getLogger(SessionShedding.class);

  private final GsLinks links;
  private final GameServerEndpoint endpoint;
  private final Counter shed;

  public SessionShedding(GsLinks links, GameServerEndpoint endpoint, MeterRegistry meters) {
    this.links = links;
    this.endpoint = endpoint;
    this.shed =
        Counter.builder("mmo.vs.admission.shed.sessions")
            .description("sessions whose connection was closed because the replica shed load")
            .register(meters);
  }

  void onShed(@Observes ShedSessions event) {
    List<GsLink> bound = links.boundNewestFirst();
    if (bound.isEmpty()) {
      return;
    }
    int count = Math.max(1, (int) ((long) bound.size() * event.percent() / 100));
    List<GsLink> newest = bound.subList(0, count);
    for (GsLink link : newest) {
      endpoint.shed(link, "VS sheds sessions: " + event.why());
    }
    shed.increment(newest.size());
    LOG.warnf("shedding %d of %d sessions: %s", newest.size(), bound.size(), event.why());
  }
}
