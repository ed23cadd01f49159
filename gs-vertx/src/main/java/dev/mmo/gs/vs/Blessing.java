package dev.mmo.gs.vs;

import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import java.util.List;
import java.util.Optional;

/**
 * What the VS link gives the match: the session the VS blessed and the proofs a client asks for.
 *
 * <p>The link owns it and changes it only on its own context; readers on other threads see a
 * consistent value through each accessor (every value is immutable). Every statement handed out
 * here has had its VsProof verified against the trust anchors and its session checked.
 */
public interface Blessing {

  /** The session's attested JoinAccept; empty until the first join succeeded. */
  Optional<Attested<JoinAccept>> joinAccept();

  /**
   * The newest tickets of the session, oldest first, each linking to the one before it (at most
   * {@link #KEPT_TICKETS}); empty before the first ticket.
   */
  List<Attested<PlayTicket>> tickets();

  /** The session key the JoinAccept names; it signs ServerHellos and WorldSnapshots. */
  Optional<Ed25519KeyPair> sessionKey();

  /** Registers a listener; it is called on the link's context, so it must not block. */
  void addListener(BlessingListener listener);

  /** How many tickets {@link #tickets()} keeps. */
  int KEPT_TICKETS = 3;
}
