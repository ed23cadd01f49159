package dev.mmo.protocol.wire;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Ed25519Signature;
import dev.mmo.protocol.crypto.Ed25519Verifier;

/**
 * A body with its Ed25519 signature over {@code domain_label || version || type || body}.
 *
 * @param <B> the body type
 */
public record Signed<B extends SignedBody>(B body, Ed25519Signature signature) implements Frame {
  public Signed {
    requireNonNull(body, "body");
    requireNonNull(signature, "signature");
  }

  /** Signs {@code body} with {@code key}. */
  public static <B extends SignedBody> Signed<B> sign(B body, Ed25519KeyPair key) {
    return new Signed<>(body, key.sign(Codec.signingInput(body)));
  }

  @Override
  public MessageType type() {
    return body.type();
  }

  /**
   * Checks the signature with {@code verifier}'s key.
   *
   * @throws Rejection with {@link Reason#BAD_SIGNATURE} when it does not verify
   */
  public void verify(Ed25519Verifier verifier) throws Rejection {
    if (!verifier.verify(Codec.signingInput(body), signature)) {
      throw new Rejection(Reason.BAD_SIGNATURE, type() + " signature does not verify");
    }
  }
}
