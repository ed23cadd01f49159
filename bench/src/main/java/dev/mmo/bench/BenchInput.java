package dev.mmo.bench;

import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.crypto.Sha256;
import dev.mmo.protocol.wire.ClientInput;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.world.Vec2;
import java.nio.charset.StandardCharsets;

/**
 * The one signed ClientInput frame every benchmark works on. Keys and ids come from fixed labels,
 * so every run measures the same bytes.
 */
final class BenchInput {
  final Ed25519KeyPair clientKey;
  final Signed<ClientInput> signed;
  final byte[] frame;

  private BenchInput(Ed25519KeyPair clientKey, Signed<ClientInput> signed, byte[] frame) {
    this.clientKey = clientKey;
    this.signed = signed;
    this.frame = frame;
  }

  static BenchInput create() {
    Ed25519KeyPair clientKey = Ed25519KeyPair.fromSeed(digest("mmo bench client key"));
    SessionId session =
        new SessionId(Bytes.copyOf(digest("mmo bench session"), 0, SessionId.LENGTH));
    ClientInput input =
        new ClientInput(
            session, 7, Sha256.hash(label("mmo bench ticket")), 1_000, new Vec2(250, -125), 0b101);
    Signed<ClientInput> signed = Signed.sign(input, clientKey);
    BenchInput result = new BenchInput(clientKey, signed, Codec.encode(signed));
    result.checkVerifies();
    return result;
  }

  /** A verifier for the client key, as a game server keeps one per connection. */
  Ed25519Verifier verifier() {
    try {
      return Ed25519Verifier.of(clientKey.publicKey());
    } catch (Rejection e) {
      throw new IllegalStateException("fixed bench key refused", e);
    }
  }

  // A benchmark of a frame that fails to decode or verify would time the rejection path instead.
  private void checkVerifies() {
    try {
      Codec.decodeSigned(frame, ClientInput.class).verify(verifier());
    } catch (Rejection e) {
      throw new IllegalStateException("bench input does not decode and verify", e);
    }
  }

  private static byte[] digest(String label) {
    return Sha256.digest(label(label));
  }

  private static byte[] label(String label) {
    return label.getBytes(StandardCharsets.US_ASCII);
  }
}
