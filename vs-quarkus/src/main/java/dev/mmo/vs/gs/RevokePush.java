package dev.mmo.vs.gs;

import dev.mmo.vs.revocation.SessionRevoked;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Pushes a session's revocation to its game server when this replica holds the connection: a ticket
 * round runs at once, finds the session revoked, sends the signed Revoke and closes.
 */
@ApplicationScoped
public class RevokePush {
  private final GsLinks links;
  private final GameServerEndpoint endpoint;

  public RevokePush(GsLinks links, GameServerEndpoint endpoint) {
    this.links = links;
    this.endpoint = endpoint;
  }

  void onRevoked(@Observes SessionRevoked event) {
    links.boundTo(event.sessionId()).ifPresent(endpoint::roundNow);
  }
}
