package dev.mmo.protocol.wire;

/** Something the VS asserts about a session; it travels with a {@link VsProof}. */
public sealed interface VsStatement permits JoinAccept, PlayTicket, ProtectedReceipt, Revoke {
  MessageType type();

  SessionId sessionId();
}
