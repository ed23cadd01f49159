package dev.mmo.vs.admin;

import dev.mmo.vs.enrollment.GameServerRevoked;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the live-session code: records every {@link GameServerRevoked}, both ways it can be
 * observed, with what each observer saw when it ran.
 */
@ApplicationScoped
public class RecordingRevocationObserver {
  /** One delivery: the event, whether it ran on an event loop, the game server's stored status. */
  public record Delivery(GameServerRevoked event, boolean onEventLoop, String storedStatus) {}

  private final AuditTrail auditTrail;
  private final List<Delivery> synchronous = new CopyOnWriteArrayList<>();
  private final List<Delivery> asynchronous = new CopyOnWriteArrayList<>();

  public RecordingRevocationObserver(AuditTrail auditTrail) {
    this.auditTrail = auditTrail;
  }

  void onRevoked(@Observes GameServerRevoked event) {
    // On the event loop: no blocking query here.
    synchronous.add(new Delivery(event, Context.isOnEventLoopThread(), null));
  }

  void onRevokedAsync(@ObservesAsync GameServerRevoked event) {
    // On a worker: reads PostgreSQL over JDBC to see whether the revocation was committed first.
    String status =
        (String)
            auditTrail
                .single("SELECT status FROM game_servers WHERE id = ?", event.gsId().value())
                .get("status");
    asynchronous.add(new Delivery(event, Context.isOnEventLoopThread(), status));
  }

  public List<Delivery> synchronous() {
    return List.copyOf(synchronous);
  }

  public List<Delivery> asynchronous() {
    return List.copyOf(asynchronous);
  }

  public void clear() {
    synchronous.clear();
    asynchronous.clear();
  }
}
