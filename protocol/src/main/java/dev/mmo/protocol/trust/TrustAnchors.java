package dev.mmo.protocol.trust;

import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.KeyId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The VS public keys a party trusts, by key id. Pinned by clients and game servers. */
public final class TrustAnchors {
  private final Map<KeyId, EcdsaP256PublicKey> byId;

  private TrustAnchors(Map<KeyId, EcdsaP256PublicKey> byId) {
    this.byId = byId;
  }

  public static TrustAnchors of(Collection<EcdsaP256PublicKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one trust anchor is needed");
    }
    Map<KeyId, EcdsaP256PublicKey> byId = new LinkedHashMap<>();
    for (EcdsaP256PublicKey key : keys) {
      byId.put(key.keyId(), key);
    }
    return new TrustAnchors(Map.copyOf(byId));
  }

  public static TrustAnchors of(EcdsaP256PublicKey... keys) {
    return of(java.util.List.of(keys));
  }

  public Optional<EcdsaP256PublicKey> find(KeyId id) {
    return Optional.ofNullable(byId.get(id));
  }

  public Collection<EcdsaP256PublicKey> keys() {
    return byId.values();
  }
}
