package dev.mmo.vs.attest;

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

  /** The frame names another session than the connection's: only the connection is closed. */
  record WrongSession(String detail) implements Verdict {}

  /** A part the VS needs is down: nothing was decided and nothing is released. */
  record Unavailable(String why) implements Verdict {}
}
