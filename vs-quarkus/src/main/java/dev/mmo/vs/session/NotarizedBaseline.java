package dev.mmo.vs.session;

import java.util.Optional;

/**
 * What the next TranscriptDigest of a session is audited against in time (docs/protocol.md section
 * 9.2, step 5): the last notarized digest, or the JoinAccept before the first one.
 *
 * @param gsCounter the notarized digest's gs_counter; 0 for the JoinAccept
 * @param tick its simulation tick; 0 for the JoinAccept
 * @param vsTimeMs when the VS notarized it; the JoinAccept's issued_at_ms
 * @param digestHashHex SHA-256 of the notarized digest frame (hex); empty for the JoinAccept
 * @param sessionStartMs the JoinAccept's issued_at_ms: when the session's tick 0 was, in VS time
 */
public record NotarizedBaseline(
    long gsCounter, long tick, long vsTimeMs, String digestHashHex, long sessionStartMs) {
  /** The notarized digest's hash, or empty when the baseline is the JoinAccept. */
  public Optional<String> digestHash() {
    return digestHashHex.isEmpty() ? Optional.empty() : Optional.of(digestHashHex);
  }
}
