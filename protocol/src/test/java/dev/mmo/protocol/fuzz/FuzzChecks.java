package dev.mmo.protocol.fuzz;

import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.testing.FrameCheck;
import dev.mmo.protocol.testing.TestKeys;
import dev.mmo.protocol.trust.TrustAnchors;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.ClientHello;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.Signed;
import java.util.Arrays;

/** The properties every fuzz target asserts about a decoded frame. */
final class FuzzChecks {
  static final VsProofVerifier PROOFS =
      new VsProofVerifier(TrustAnchors.of(TestKeys.VS_ROOT.publicKey()), 64);

  private FuzzChecks() {}

  /**
   * A frame the codec accepted must be canonical (re-encodes to the same bytes), and verifying it
   * may only succeed or raise a {@link Rejection}; any other exception escapes and is a finding.
   */
  static void acceptedFrame(byte[] input, Frame frame) {
    byte[] again = Codec.encode(frame);
    if (!Arrays.equals(again, input)) {
      throw new IllegalStateException(
          "decoded frame re-encodes differently: the codec is not canonical");
    }
    Ed25519PublicKey key =
        frame instanceof Signed<?> s && s.body() instanceof ClientHello hello
            ? hello.clientKey()
            : TestKeys.GS_SESSION.publicKey();
    try {
      FrameCheck.check(input, frame.type(), key, PROOFS);
    } catch (Rejection expected) {
      // Random bytes almost never carry a valid signature or proof.
    }
  }
}
