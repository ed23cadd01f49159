package dev.mmo.protocol.chain;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import java.util.Optional;

/**
 * Everything a receiver checks on a session's tickets (docs/protocol.md section 7.1).
 *
 * <p>Two questions, kept apart. {@link #accept} asks whether a ticket is the next genuine link: its
 * VS proof, its session, its counter and predecessor, and that it does not start in the future. A
 * link that has already expired is still accepted, so that a chain survives a VS hiccup that delays
 * one ticket. {@link #checkFresh} asks whether the session is blessed right now: whether the newest
 * link is valid at the given VS time. A rejected ticket leaves the chain as it was. Not
 * thread-safe.
 */
public final class TicketChainVerifier {
  private final VsProofVerifier proofs;
  private final TicketChain chain;
  private final long allowedSkewMs;
  private PlayTicket latest;

  /**
   * A verifier for the session of {@code accept}, which the caller has verified.
   *
   * @param allowedSkewMs how far the {@code vsNowMs} values passed in may be off, 0 or more
   */
  public TicketChainVerifier(VsProofVerifier proofs, JoinAccept accept, long allowedSkewMs) {
    this(proofs, TicketChain.startingAt(accept), allowedSkewMs);
  }

  private TicketChainVerifier(VsProofVerifier proofs, TicketChain chain, long allowedSkewMs) {
    this.proofs = requireNonNull(proofs, "proofs");
    this.chain = chain;
    if (allowedSkewMs < 0) {
      throw new IllegalArgumentException("negative skew");
    }
    this.allowedSkewMs = allowedSkewMs;
  }

  /**
   * A verifier that continues after {@code trusted}, a ticket whose proof the caller verified (a
   * client that joins a running session starts from the first ticket it was shown).
   */
  public static TicketChainVerifier continuingAfter(
      VsProofVerifier proofs, PlayTicket trusted, long allowedSkewMs) {
    TicketChainVerifier verifier =
        new TicketChainVerifier(proofs, TicketChain.continuingAfter(trusted), allowedSkewMs);
    verifier.latest = trusted;
    return verifier;
  }

  /**
   * Verifies {@code ticket} as the next link and makes it the latest.
   *
   * @throws Rejection the first check that fails: the proof (6.4), then the link ({@link
   *     TicketChain#checkNext}), then {@link Reason#TICKET_NOT_YET_VALID} when the ticket starts
   *     more than the allowed skew after {@code vsNowMs}
   */
  public PlayTicket accept(Attested<PlayTicket> ticket, long vsNowMs) throws Rejection {
    PlayTicket t = proofs.verify(ticket);
    chain.checkNext(t);
    TicketFreshness.checkStarted(t, vsNowMs, allowedSkewMs);
    chain.append(t);
    latest = t;
    return t;
  }

  /**
   * Checks that the session is blessed at {@code vsNowMs}: the newest accepted ticket is valid
   * then.
   *
   * @throws Rejection {@link Reason#NO_FRESH_TICKET} before any ticket was accepted, else as {@link
   *     TicketFreshness#check}
   */
  public PlayTicket checkFresh(long vsNowMs) throws Rejection {
    if (latest == null) {
      throw new Rejection(Reason.NO_FRESH_TICKET, "no ticket yet");
    }
    TicketFreshness.check(latest, vsNowMs, allowedSkewMs);
    return latest;
  }

  /** The newest accepted ticket, fresh or not. */
  public Optional<PlayTicket> latest() {
    return Optional.ofNullable(latest);
  }

  public TicketChain chain() {
    return chain;
  }
}
