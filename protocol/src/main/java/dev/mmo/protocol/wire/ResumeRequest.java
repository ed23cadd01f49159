package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

/**
 * GS to VS after a reconnect: continue my session. Signed with the session key; {@code gsCounter}
 * continues the one strictly increasing sequence shared with heartbeats and digests.
 */
public record ResumeRequest(SessionId sessionId, long gsCounter, long gsTimeMs)
    implements SignedBody {
  public ResumeRequest {
    requireNonNull(sessionId, "sessionId");
    Checks.positive(gsCounter, "gsCounter");
    Checks.nonNegative(gsTimeMs, "gsTimeMs");
  }

  @Override
  public MessageType type() {
    return MessageType.RESUME_REQUEST;
  }
}
