package dev.mmo.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.protocol.Limits;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.testing.FrameCheck;
import dev.mmo.protocol.testing.Scenario;
import dev.mmo.protocol.testing.TestKeys;
import dev.mmo.protocol.trust.VsProofVerifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecTest {
  private static final Scenario S = new Scenario();

  private static List<Frame> everyFrame() {
    List<Frame> frames = new ArrayList<>();
    frames.add(S.joinRequest);
    frames.add(S.joinAccept);
    frames.add(S.resumeRequest);
    frames.addAll(S.tickets);
    frames.add(S.heartbeat);
    frames.add(S.transcriptDigest);
    frames.add(S.receipt);
    frames.add(S.revoke);
    frames.add(S.clientHello);
    frames.add(S.serverHello);
    frames.addAll(S.inputs);
    frames.add(S.worldSnapshot);
    return frames;
  }

  @Test
  void decode_everyEncodedFrame_roundTripsToAnEqualFrame() throws Rejection {
    for (Frame frame : everyFrame()) {
      byte[] bytes = Codec.encode(frame);
      Frame decoded = Codec.decode(bytes);
      assertThat(decoded).isEqualTo(frame);
      assertThat(Codec.encode(decoded)).isEqualTo(bytes);
    }
  }

  @Test
  void decode_everyProperPrefixOfEveryFrame_truncated() {
    List<String> failures = new ArrayList<>();
    for (Frame frame : everyFrame()) {
      byte[] bytes = Codec.encode(frame);
      for (int length = 0; length < bytes.length; length++) {
        try {
          Codec.decode(Arrays.copyOf(bytes, length));
          failures.add(frame.type() + " prefix " + length + ": accepted");
        } catch (Rejection r) {
          if (r.reason() != Reason.TRUNCATED) {
            failures.add(frame.type() + " prefix " + length + ": " + r.reason());
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  /** No single flipped bit anywhere in any frame survives decoding plus verification. */
  @Test
  void check_everySingleBitFlipOfEveryFrame_rejected() {
    VsProofVerifier proofs = new VsProofVerifier(S.anchors);
    List<String> failures = new ArrayList<>();
    for (Frame frame : everyFrame()) {
      byte[] bytes = Codec.encode(frame);
      for (int bit = 0; bit < bytes.length * 8; bit++) {
        byte[] flipped = bytes.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        try {
          FrameCheck.check(flipped, frame.type(), keyFor(frame), proofs);
          failures.add(frame.type() + " bit " + bit + ": accepted");
        } catch (Rejection expected) {
          // Every flip must be caught by the codec, a signature or a proof.
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void decode_oversizedFrame_frameTooLarge() {
    assertThatThrownBy(() -> Codec.decode(new byte[Limits.MAX_FRAME_BYTES + 1]))
        .isInstanceOf(Rejection.class)
        .extracting(e -> ((Rejection) e).reason())
        .isEqualTo(Reason.FRAME_TOO_LARGE);
  }

  /** Section 2, point 4: leaf_index is checked against tree_size before path_length is read. */
  @Test
  void decode_leafIndexOutsideTreeAndPathCountOverLimit_valueOutOfRange() {
    byte[] frame = ticketWithLeafIndexOutsideItsTree();
    frame[frame.length - 1 - 2 * 32] = 33;
    assertThatThrownBy(() -> Codec.decode(frame))
        .isInstanceOf(Rejection.class)
        .extracting(e -> ((Rejection) e).reason())
        .isEqualTo(Reason.VALUE_OUT_OF_RANGE);
  }

  @Test
  void decode_leafIndexOutsideTreeAndPathTruncated_valueOutOfRange() {
    byte[] frame = ticketWithLeafIndexOutsideItsTree();
    byte[] truncated = Arrays.copyOf(frame, frame.length - 32);
    assertThatThrownBy(() -> Codec.decode(truncated))
        .isInstanceOf(Rejection.class)
        .extracting(e -> ((Rejection) e).reason())
        .isEqualTo(Reason.VALUE_OUT_OF_RANGE);
  }

  /** Ticket 2 (leaf 0 of a batch of 3, audit path of 2 hashes) claiming leaf_index 3. */
  private static byte[] ticketWithLeafIndexOutsideItsTree() {
    Attested<PlayTicket> ticket = S.tickets.get(1);
    assertThat(ticket.proof().batchHead().treeSize()).isEqualTo(3);
    assertThat(ticket.proof().auditPath()).hasSize(2);
    byte[] frame = Codec.encode(ticket);
    frame[frame.length - 1 - 2 * 32 - 1] = 3; // low byte of leaf_index
    return frame;
  }

  @Test
  void decodeSigned_frameOfAnotherType_unexpectedType() {
    byte[] heartbeat = Codec.encode(S.heartbeat);
    assertThatThrownBy(() -> Codec.decodeSigned(heartbeat, ClientInput.class))
        .isInstanceOf(Rejection.class)
        .extracting(e -> ((Rejection) e).reason())
        .isEqualTo(Reason.UNEXPECTED_TYPE);
    assertThatThrownBy(() -> Codec.decodeAttested(heartbeat, PlayTicket.class))
        .isInstanceOf(Rejection.class)
        .extracting(e -> ((Rejection) e).reason())
        .isEqualTo(Reason.UNEXPECTED_TYPE);
  }

  @Test
  void signingInput_startsWithTheTypesDomainLabel() {
    for (Frame frame : everyFrame()) {
      if (frame instanceof Signed<?> signed) {
        byte[] input = Codec.signingInput(signed.body());
        byte[] label = signed.type().domainLabel();
        assertThat(Arrays.copyOf(input, label.length)).isEqualTo(label);
        byte[] encoded = Codec.encode(frame);
        assertThat(Arrays.copyOfRange(input, label.length, input.length))
            .isEqualTo(Arrays.copyOf(encoded, encoded.length - 64));
      }
    }
  }

  @Test
  void domainLabels_distinctAndNonePrefixesAnother() {
    List<String> failures = new ArrayList<>();
    for (MessageType a : MessageType.values()) {
      for (MessageType b : MessageType.values()) {
        byte[] la = a.domainLabel();
        byte[] lb = b.domainLabel();
        if (a != b && la.length <= lb.length && Arrays.equals(la, 0, la.length, lb, 0, la.length)) {
          failures.add(a + " is a prefix of " + b);
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void signedVerify_keyOfAnotherParty_badSignature() {
    assertThatThrownBy(
            () ->
                S.heartbeat.verify(
                    dev.mmo.protocol.crypto.Ed25519Verifier.of(TestKeys.GS_LONG_TERM.publicKey())))
        .isInstanceOf(Rejection.class)
        .extracting(e -> ((Rejection) e).reason())
        .isEqualTo(Reason.BAD_SIGNATURE);
  }

  private static dev.mmo.protocol.crypto.Ed25519PublicKey keyFor(Frame frame) {
    return switch (frame.type().authentication()) {
      case GS_KEY -> TestKeys.GS_LONG_TERM.publicKey();
      case CLIENT_KEY -> TestKeys.CLIENT_A.publicKey();
      default -> TestKeys.GS_SESSION.publicKey();
    };
  }
}
