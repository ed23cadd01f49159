package dev.mmo.vs.attest;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.ProtectedReceipt;

/** What became of a heartbeat or digest on a bound connection. */
public sealed interface Verdict {
  /** Accepted: a heartbeat, or a digest notarized but whose receipt could not be released. */
  record Accepted() implements Verdict {}

  /** A digest notarized: the receipt to release. */
  record Notarized(Attested<ProtectedReceipt> receipt) implements Verdict {}

  /**
   * The session is over for this connection (revoked now or before, expired, or taken over by
   * another connection): the next ticket round sends what ends it.
   */
  record SessionOver() implements Verdict {}

  /**
   * Only the connection is closed, with {@code reason}: the frame names another session, or a check
   * failed but the VS could not decide the revocation it calls for (Redis unreachable), or the
   * session's state moved in a way only a bug explains. The session itself is not revoked.
   */
  record Refused(Reason reason, String detail) implements Verdict {}

  /** A part the VS needs is down: nothing was decided and nothing is released. */
  record Unavailable(String why) implements Verdict {}
}
