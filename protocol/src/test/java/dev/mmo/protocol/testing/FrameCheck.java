package dev.mmo.protocol.testing;

import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Ed25519Verifier;
import dev.mmo.protocol.trust.VsProofVerifier;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.MessageType;
import dev.mmo.protocol.wire.ServerHello;
import dev.mmo.protocol.wire.Signed;
import dev.mmo.protocol.wire.SignedBody;
import dev.mmo.protocol.wire.VsStatement;
import dev.mmo.protocol.wire.WorldSnapshot;

/**
 * The golden vectors' check of one frame in isolation (docs/protocol.md, "Golden vectors"): decode
 * as the expected type, verify the Ed25519 signature with the given key, then verify every VS proof
 * the frame holds, outermost first, in encoding order.
 */
public final class FrameCheck {
  private FrameCheck() {}

  /**
   * @param verifyKey the Ed25519 key for signed types; ignored for VS statements
   * @return the decoded frame
   * @throws Rejection the first check that fails
   */
  public static Frame check(
      byte[] frame, MessageType expected, Ed25519PublicKey verifyKey, VsProofVerifier proofs)
      throws Rejection {
    Frame decoded = decodeAs(frame, expected);
    if (decoded instanceof Attested<?> attested) {
      proofs.verify(attested);
    } else if (decoded instanceof Signed<?> signed && signed.body() instanceof ServerHello hello) {
      // The hello's key comes from its JoinAccept: that proof first, then the signature, then
      // the tickets (docs/protocol.md section 10.1).
      proofs.verify(hello.joinAccept());
      signed.verify(Ed25519Verifier.of(verifyKey));
      for (Attested<?> ticket : hello.tickets()) {
        proofs.verify(ticket);
      }
    } else if (decoded instanceof Signed<?> signed) {
      signed.verify(Ed25519Verifier.of(verifyKey));
      if (signed.body() instanceof WorldSnapshot snapshot && snapshot.latestReceipt().isPresent()) {
        proofs.verify(snapshot.latestReceipt().get());
      }
    }
    return decoded;
  }

  private static Frame decodeAs(byte[] frame, MessageType expected) throws Rejection {
    Class<?> type = Messages.javaType(expected);
    if (VsStatement.class.isAssignableFrom(type)) {
      return Codec.decodeAttested(frame, type.asSubclass(VsStatement.class));
    }
    return Codec.decodeSigned(frame, type.asSubclass(SignedBody.class));
  }
}
