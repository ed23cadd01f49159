package dev.mmo.vs.ticket;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.Revoke;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.audit.AuditBrokerHealth;
import dev.mmo.vs.batch.SigningUnavailableException;
import dev.mmo.vs.batch.StatementSigner;
import dev.mmo.vs.config.VsConfig;
import dev.mmo.vs.config.VsConfigCheck;
import dev.mmo.vs.session.LiveSession;
import dev.mmo.vs.session.LiveSessions;
import dev.mmo.vs.session.RevokedGameServers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One round of a session's ticket chain (docs/protocol.md sections 5.5 and 7.1). Before anything is
 * issued, the round checks the session and its game server's revocation marker, and that the audit
 * broker is reachable. The chain tip advances in Redis before the ticket is signed, so a counter is
 * never issued with two contents; a ticket that was reserved but not delivered (the HSM was down,
 * or the game server reconnected) is signed again and delivered before the chain moves on, so the
 * chain has no gap.
 */
@ApplicationScoped
public class TicketService {
  private static final Logger LOG = Logger.getLogger(TicketService.class);

  private final LiveSessions sessions;
  private final RevokedGameServers revokedGameServers;
  private final StatementSigner signer;
  private final AuditBrokerHealth broker;
  private final Clock clock;
  private final long lifetimeMs;
  private final Counter issued;

  public TicketService(
      LiveSessions sessions,
      RevokedGameServers revokedGameServers,
      StatementSigner signer,
      AuditBrokerHealth broker,
      Clock clock,
      VsConfig config,
      MeterRegistry meters) {
    this.sessions = sessions;
    this.revokedGameServers = revokedGameServers;
    this.signer = signer;
    this.broker = broker;
    this.clock = clock;
    this.lifetimeMs = config.session().ticketLifetime().toMillis();
    this.issued =
        Counter.builder("mmo.vs.tickets.issued").description("tickets delivered").register(meters);
  }

  /**
   * The next step for session {@code id} held by {@code owner}, whose connection has delivered the
   * chain up to {@code deliveredCounter} (0 on a connection that delivered none: after a resume it
   * gets every kept ticket again). Fails when Redis does; nothing is issued then.
   */
  public Uni<TicketStep> next(SessionId id, String owner, long deliveredCounter) {
    return sessions
        .load(id)
        .chain(
            found -> {
              if (found.isEmpty()) {
                return end(Reason.SESSION_UNKNOWN);
              }
              LiveSession session = found.get();
              if (!session.active()) {
                return revoked(session);
              }
              return revokedGameServers
                  .find(session.gsId())
                  .chain(
                      marker -> {
                        if (marker.isPresent()) {
                          return revokeNow(
                              session, marker.get().reasonCode(), marker.get().decidedAtMs());
                        }
                        if (!session.owner().equals(owner)) {
                          return end(Reason.CONNECTION_REPLACED);
                        }
                        if (!broker.isUp()) {
                          // A revocation decided now could be neither recorded nor broadcast:
                          // bless nothing new until the broker is back (docs/protocol.md 13,
                          // SERVICE_UNAVAILABLE).
                          return Uni.createFrom()
                              .item(new TicketStep.Wait("audit broker unreachable"));
                        }
                        if (session.tipCounter() > deliveredCounter) {
                          return redeliver(session, deliveredCounter);
                        }
                        return advance(session, owner);
                      });
            });
  }

  private Uni<TicketStep> advance(LiveSession session, String owner) {
    long now = clock.millis();
    PlayTicket next =
        new PlayTicket(
            session.sessionId(),
            Hash.ZERO,
            session.tipCounter() + 1,
            now,
            now + lifetimeMs,
            session.tipHash());
    return sessions
        .advanceTicket(session, next, owner)
        .chain(
            outcome ->
                switch (outcome) {
                  case OK -> keepIndexNowAndThen(session, next).chain(() -> deliver(List.of(next)));
                  case REVOKED -> reloadRevoked(session);
                  case NOT_OWNER -> end(Reason.CONNECTION_REPLACED);
                  case MISSING -> end(Reason.SESSION_UNKNOWN);
                  case CONFLICT -> Uni.createFrom().item(new TicketStep.Wait("tip moved"));
                });
  }

  /** The kept tickets after {@code delivered} again, checked against the stored chain first. */
  private Uni<TicketStep> redeliver(LiveSession session, long delivered) {
    List<PlayTicket> again;
    try {
      again = session.ticketsAfter(delivered);
    } catch (IllegalStateException e) {
      LOG.errorf("not signing again: %s", e.getMessage());
      return end(Reason.INTERNAL_ERROR);
    }
    return deliver(again);
  }

  /**
   * Every {@link VsConfigCheck#INDEX_REFRESH_TICKETS} tickets, so the session stays in its game
   * server's index while it lives.
   */
  private Uni<Void> keepIndexNowAndThen(LiveSession session, PlayTicket next) {
    if (next.counter() % VsConfigCheck.INDEX_REFRESH_TICKETS != 0) {
      return Uni.createFrom().voidItem();
    }
    return sessions.touchIndex(session.gsId(), session.sessionId());
  }

  private Uni<TicketStep> deliver(List<PlayTicket> tickets) {
    return Uni.join()
        .all(tickets.stream().map(signer::sign).toList())
        .andFailFast()
        .<TicketStep>map(
            attested -> {
              issued.increment(attested.size());
              return new TicketStep.Deliver(List.<Attested<PlayTicket>>copyOf(attested));
            })
        .onFailure(SigningUnavailableException.class)
        .recoverWithItem(e -> new TicketStep.Wait("cannot sign: " + e.getMessage()));
  }

  /** Revokes a session of a revoked game server with the marker's decision, then ends it. */
  private Uni<TicketStep> revokeNow(LiveSession session, int reasonCode, long decidedAtMs) {
    return sessions
        .revoke(session.sessionId(), reasonCode, decidedAtMs)
        .chain(() -> reloadRevoked(session));
  }

  private Uni<TicketStep> reloadRevoked(LiveSession session) {
    return sessions
        .load(session.sessionId())
        .chain(s -> s.isPresent() ? revoked(s.get()) : end(Reason.SESSION_UNKNOWN));
  }

  /**
   * A revoked session gets a signed Revoke if the VS can make one, and ends either way. The Revoke
   * carries the stored decision, so every round and every replica signs the same statement.
   */
  private Uni<TicketStep> revoked(LiveSession session) {
    int code = session.reasonCode() > 0 ? session.reasonCode() : Reason.SESSION_REVOKED.code();
    return signer
        .sign(new Revoke(session.sessionId(), code, session.revokedAtMs()))
        .<TicketStep>map(revoke -> new TicketStep.End(code, Optional.of(revoke)))
        .onFailure(SigningUnavailableException.class)
        .recoverWithItem(new TicketStep.End(code, Optional.empty()));
  }

  private static Uni<TicketStep> end(Reason reason) {
    return Uni.createFrom().item(new TicketStep.End(reason.code(), Optional.empty()));
  }
}
