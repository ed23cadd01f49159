package dev.mmo.client;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.chain.TicketChainVerifier;
import dev.mmo.protocol.chain.TicketFreshness;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Challenge;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.JoinAccept;
import dev.mmo.protocol.wire.PlayTicket;
import dev.mmo.protocol.wire.ServerHello;
import dev.mmo.protocol.wire.Signed;
import java.util.List;

/**
 * The client's checks on a ServerHello, in the order of docs/protocol.md 10.1 step 4; the first
 * failure is the result. Pure: times are passed in.
 */
public final class HandshakeVerifier {
  private final VsProofVerifier proofs;
  private final long maxClockSkewMs;
  private final VsTimeMemory memory;

  /**
   * @param maxClockSkewMs W, the largest distance allowed between the newest ticket's {@code
   *     not_before_ms} and the client's wall clock (step 6)
   * @param memory VS time learned in earlier sessions, which step 7 judges by; tickets that pass
   *     step 5 are added to it
   */
  public HandshakeVerifier(VsProofVerifier proofs, long maxClockSkewMs, VsTimeMemory memory) {
    this.proofs = requireNonNull(proofs, "proofs");
    this.memory = requireNonNull(memory, "memory");
    if (maxClockSkewMs < 0) {
      throw new IllegalArgumentException("negative skew");
    }
    this.maxClockSkewMs = maxClockSkewMs;
  }

  /** What a verified handshake establishes. */
  public record Verified(
      JoinAccept joinAccept, Ed25519Verifier sessionKey, TicketTracker tickets) {}

  /**
   * Verifies {@code frame}, the first frame the GS sent.
   *
   * @param clientKey the key of the ClientHello the client sent
   * @param challenge its challenge
   * @param gsId the game server the client asked for
   * @param wallMs the client's wall clock now
   * @param monotonicMs the client's monotonic clock now (when the frame arrived)
   */
  public Verified verify(
      byte[] frame,
      Ed25519PublicKey clientKey,
      Challenge challenge,
      GsId gsId,
      long wallMs,
      long monotonicMs)
      throws Rejection {
    // 1. decode
    Signed<ServerHello> signed = Codec.decodeSigned(frame, ServerHello.class);
    ServerHello hello = signed.body();
    // 2. the echo
    if (!hello.clientKey().equals(clientKey) || !hello.challenge().equals(challenge)) {
      throw new Rejection(Reason.HANDSHAKE_MISMATCH, "not an answer to this hello");
    }
    // 3. the JoinAccept's proof, then its gs_id
    JoinAccept accept = proofs.verify(hello.joinAccept());
    if (!accept.gsId().equals(gsId)) {
      throw new Rejection(
          Reason.HANDSHAKE_MISMATCH, "JoinAccept for " + accept.gsId() + ", asked for " + gsId);
    }
    // 4. proof of possession of the session key
    Ed25519Verifier sessionKey = Ed25519Verifier.of(accept.sessionKey());
    signed.verify(sessionKey);
    // 5. every ticket, oldest first
    TicketTracker tickets = chain(accept, hello.tickets(), monotonicMs);
    PlayTicket newest = tickets.newest();
    // 6. the newest ticket against the wall clock, within W
    if (newest.notBeforeMs() < wallMs - maxClockSkewMs) {
      throw new Rejection(
          Reason.TICKET_EXPIRED,
          "newest ticket issued at " + newest.notBeforeMs() + ", wall clock " + wallMs);
    }
    if (newest.notBeforeMs() > wallMs + maxClockSkewMs) {
      throw new Rejection(
          Reason.TICKET_NOT_YET_VALID,
          "newest ticket issued at " + newest.notBeforeMs() + ", wall clock " + wallMs);
    }
    // 7. the newest ticket is valid now (10.2), by VS time as learned from these tickets and from
    // earlier sessions
    try {
      TicketFreshness.check(newest, tickets.vsNow(monotonicMs), 0);
    } catch (Rejection e) {
      throw new Rejection(Reason.TICKET_EXPIRED, e.getMessage());
    }
    return new Verified(accept, sessionKey, tickets);
  }

  private TicketTracker chain(JoinAccept accept, List<Attested<PlayTicket>> shown, long monotonicMs)
      throws Rejection {
    Attested<PlayTicket> first = shown.get(0);
    TicketTracker tickets;
    if (first.statement().counter() == 1) {
      TicketChainVerifier chain = new TicketChainVerifier(proofs, accept, 0);
      PlayTicket t = chain.accept(first, first.statement().notBeforeMs());
      tickets = new TicketTracker(chain, t, monotonicMs, memory);
    } else {
      PlayTicket t = proofs.verify(first);
      if (!t.sessionId().equals(accept.sessionId())) {
        throw new Rejection(Reason.WRONG_SESSION, "ticket for another session");
      }
      tickets =
          new TicketTracker(
              TicketChainVerifier.continuingAfter(proofs, t, 0), t, monotonicMs, memory);
    }
    for (Attested<PlayTicket> next : shown.subList(1, shown.size())) {
      tickets.accept(next, monotonicMs);
    }
    return tickets;
  }
}
