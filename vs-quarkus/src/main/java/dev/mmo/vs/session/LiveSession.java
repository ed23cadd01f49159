package dev.mmo.vs.session;

import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.Hashes;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.world.GameRules;
import java.util.ArrayList;
import java.util.List;

/**
 * A session's live state as Redis holds it: what it pinned, whether it is still active, and the tip
 * of its ticket chain with the newest tickets.
 *
 * @param reasonCode why it was revoked; 0 while active
 * @param revokedAtMs when the revocation was decided; 0 while active
 * @param tipCounter the newest ticket's counter, 0 before ticket 1
 * @param tipHash statement hash of the newest ticket, or of the JoinAccept before ticket 1
 * @param kept the newest tickets, oldest first, the tip last; empty before ticket 1
 * @param gsCounter the highest gs_counter accepted (resume, heartbeat or digest)
 * @param owner the connection the session is bound to ({@code replica/connection})
 * @param rules the rules the JoinAccept pinned
 * @param lastHeartbeatMs when the game server last proved it was alive (VS time; the admission
 *     before its first heartbeat)
 * @param baseline what the next TranscriptDigest is audited against in time
 */
public record LiveSession(
    SessionId sessionId,
    GsId gsId,
    Ed25519PublicKey sessionKey,
    Hash swHash,
    boolean active,
    int reasonCode,
    long revokedAtMs,
    long tipCounter,
    Hash tipHash,
    List<KeptTicket> kept,
    long gsCounter,
    String owner,
    GameRules rules,
    long lastHeartbeatMs,
    NotarizedBaseline baseline) {
  public LiveSession {
    kept = List.copyOf(kept);
  }

  /**
   * The kept tickets after counter {@code delivered}, oldest first, built again from their fields.
   * Before anything is signed again, the rebuilt tickets are checked against the stored chain: each
   * points at the one before it and the last one hashes to the stored tip.
   *
   * @throws IllegalStateException when the stored state does not describe the chain it claims
   */
  public List<PlayTicket> ticketsAfter(long delivered) {
    List<PlayTicket> tickets = new ArrayList<>(kept.size());
    PlayTicket previous = null;
    for (KeptTicket k : kept) {
      PlayTicket ticket = k.ticket(sessionId);
      if (previous != null
          && (ticket.counter() != previous.counter() + 1
              || !ticket.prevTicketHash().equals(Hashes.statementHash(previous)))) {
        throw new IllegalStateException(
            "session " + sessionId.hex() + ": kept ticket " + ticket.counter() + " is no link");
      }
      previous = ticket;
      if (ticket.counter() > delivered) {
        tickets.add(ticket);
      }
    }
    if (tipCounter > 0
        && (previous == null
            || previous.counter() != tipCounter
            || !Hashes.statementHash(previous).equals(tipHash))) {
      throw new IllegalStateException(
          "session " + sessionId.hex() + ": the kept tickets do not end at tip " + tipCounter);
    }
    return List.copyOf(tickets);
  }
}
