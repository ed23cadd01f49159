package dev.mmo.gs.vs;

import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ProtectedReceipt;
import dev.mmo.protocol.wire.Revoke;

/**
 * Events from the VS link, each already verified (VsProof against the trust anchors, session).
 * Called on the link's context: an implementation hands the event to its own context and returns.
 */
public interface BlessingListener {

  /** A new ticket, the next link of the chain; {@link Blessing#tickets()} already holds it. */
  void onTicket(Attested<PlayTicket> ticket);

  /** A receipt for one of this GS's digests (protocol.md 9.3 checks done). */
  void onReceipt(Attested<ProtectedReceipt> receipt);

  /** The session is revoked: the match must stop and forward this to every client. */
  void onRevoke(Attested<Revoke> revoke);

  /**
   * The link lost the session for good without a Revoke (resume refused, session expired): the
   * match stops as if starved.
   */
  void onSessionLost(String why);
}
