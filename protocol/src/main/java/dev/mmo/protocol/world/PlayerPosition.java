package dev.mmo.protocol.world;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Ed25519PublicKey;

/** Where a player is; players are named by their client public key. */
public record PlayerPosition(Ed25519PublicKey player, Vec2 position) {
  public PlayerPosition {
    requireNonNull(player, "player");
    requireNonNull(position, "position");
  }
}
