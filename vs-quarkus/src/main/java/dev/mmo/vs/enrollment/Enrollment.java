package dev.mmo.vs.enrollment;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import java.util.Set;

/**
 * What the VS knows about an enrolled game server when it asks to join (docs/protocol.md section
 * 8.1): its long-term key, whether its enrollment is revoked, and its software allow-list.
 */
public record Enrollment(
    GsId id, Ed25519PublicKey publicKey, boolean revoked, Set<Hash> allowedSoftware) {
  public Enrollment {
    requireNonNull(id, "id");
    requireNonNull(publicKey, "publicKey");
    allowedSoftware = Set.copyOf(allowedSoftware);
  }
}
