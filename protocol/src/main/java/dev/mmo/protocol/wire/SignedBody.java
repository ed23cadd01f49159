package dev.mmo.protocol.wire;

/** A message body that travels with an Ed25519 signature by a game server or client key. */
public sealed interface SignedBody
    permits JoinRequest,
        ResumeRequest,
        Heartbeat,
        TranscriptDigest,
        ClientHello,
        ServerHello,
        ClientInput,
        WorldSnapshot {
  MessageType type();
}
