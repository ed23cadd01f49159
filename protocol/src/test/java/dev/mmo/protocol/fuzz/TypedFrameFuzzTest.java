package dev.mmo.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.testing.Messages;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;
import dev.mmo.protocol.wire.MessageType;
import dev.mmo.protocol.wire.SignedBody;
import dev.mmo.protocol.wire.VsStatement;
import java.util.Arrays;

/**
 * Each typed decoder ({@link Codec#decodeSigned}, {@link Codec#decodeAttested}) on arbitrary bytes.
 * The first input byte picks the expected type, the rest is the frame. Seeds: every golden valid
 * frame behind its type's selector byte.
 */
class TypedFrameFuzzTest {
  static final MessageType[] FRAME_TYPES =
      Arrays.stream(MessageType.values())
          .filter(t -> t != MessageType.BATCH_HEAD)
          .toArray(MessageType[]::new);

  @FuzzTest(maxDuration = "15s")
  void decodeTyped(byte[] input) {
    if (input.length == 0) {
      return;
    }
    MessageType expected = FRAME_TYPES[(input[0] & 0xFF) % FRAME_TYPES.length];
    byte[] frameBytes = Arrays.copyOfRange(input, 1, input.length);
    Class<?> type = Messages.javaType(expected);
    Frame frame;
    try {
      frame =
          VsStatement.class.isAssignableFrom(type)
              ? Codec.decodeAttested(frameBytes, type.asSubclass(VsStatement.class))
              : Codec.decodeSigned(frameBytes, type.asSubclass(SignedBody.class));
    } catch (Rejection expectedRejection) {
      return;
    }
    if (frame.type() != expected) {
      throw new IllegalStateException("asked for " + expected + ", decoded " + frame.type());
    }
    FuzzChecks.acceptedFrame(frameBytes, frame);
  }
}
