package dev.mmo.gs.vs;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;

/**
 * How the VS link connects and how much it keeps.
 *
 * @param vsUrl the VS's {@code /gs} endpoint, {@code ws://} or {@code wss://}
 * @param ticketSkew how far the GS clock may be behind the VS when a ticket starts (10.2)
 * @param reconnectMin the first delay before a reconnect; it doubles up to {@code reconnectMax}
 * @param busyRetry the least delay (drawn in [d/2, d]) before joining again after the VS refused a
 *     join with {@code SERVICE_UNAVAILABLE}: it is at capacity, and prompt retries from many game
 *     servers would only keep it there
 * @param bindTimeout how long a new connection may wait for its JoinAccept, or after a resume for
 *     its first ticket, before the link gives it up and reconnects
 * @param maxOutstandingDigests digests kept to match receipts against; beyond it the oldest is
 *     forgotten, and a receipt for it breaks the link
 */
public record VsLinkSettings(
    URI vsUrl,
    Duration ticketSkew,
    Duration reconnectMin,
    Duration reconnectMax,
    Duration busyRetry,
    Duration bindTimeout,
    int maxOutstandingDigests) {
  public VsLinkSettings {
    requireNonNull(vsUrl, "vsUrl");
    requireNonNull(ticketSkew, "ticketSkew");
    requireNonNull(reconnectMin, "reconnectMin");
    requireNonNull(reconnectMax, "reconnectMax");
    requireNonNull(busyRetry, "busyRetry");
    requireNonNull(bindTimeout, "bindTimeout");
    if (!"ws".equals(vsUrl.getScheme()) && !"wss".equals(vsUrl.getScheme())) {
      throw new IllegalArgumentException("vsUrl must be ws:// or wss://");
    }
    if (ticketSkew.isNegative()
        || reconnectMin.isNegative()
        || reconnectMin.isZero()
        || reconnectMax.compareTo(reconnectMin) < 0
        || busyRetry.isNegative()
        || bindTimeout.isNegative()
        || bindTimeout.isZero()) {
      throw new IllegalArgumentException("durations out of range");
    }
    if (maxOutstandingDigests < 1) {
      throw new IllegalArgumentException("maxOutstandingDigests must be positive");
    }
  }
}
