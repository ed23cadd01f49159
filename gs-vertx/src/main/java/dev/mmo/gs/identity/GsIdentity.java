package dev.mmo.gs.identity;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;

/** Who this GS is to the VS: its enrolled id, its long-term key and its measured sw_hash. */
public record GsIdentity(GsId gsId, Ed25519KeyPair longTermKey, Hash swHash) {
  public GsIdentity {
    requireNonNull(gsId, "gsId");
    requireNonNull(longTermKey, "longTermKey");
    requireNonNull(swHash, "swHash");
  }
}
