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
    Duration bindTimeout,
    int maxOutstandingDigests) {
  public VsLinkSettings {
    requireNonNull(vsUrl, "vsUrl");
    requireNonNull(ticketSkew, "ticketSkew");
    requireNonNull(reconnectMin, "reconnectMin");
    requireNonNull(reconnectMax, "reconnectMax");
    requireNonNull(bindTimeout, "bindTimeout");
    if (!"ws".equals(vsUrl.getScheme()) && !"wss".equals(vsUrl.getScheme())) {
      throw new IllegalArgumentException("vsUrl must be ws:// or wss://");
    }
    if (ticketSkew.isNegative()
        || reconnectMin.isNegative()
        || reconnectMin.isZero()
        || reconnectMax.compareTo(reconnectMin) < 0
        || bindTimeout.isNegative()
        || bindTimeout.isZero()) {
      throw new IllegalArgumentException("durations out of range");
    }
    if (maxOutstandingDigests < 1) {
      throw new IllegalArgumentException("maxOutstandingDigests must be positive");
    }
  }
}
