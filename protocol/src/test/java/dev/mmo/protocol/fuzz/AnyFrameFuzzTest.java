package dev.mmo.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mmo.protocol.Rejection;
import dev.mmo.protocol.wire.Codec;
import dev.mmo.protocol.wire.Frame;

/**
 * {@link Codec#decode}, the entry every transport uses, on arbitrary bytes: it either accepts a
 * canonical frame or raises the codec's {@link Rejection}. Seeds: every golden valid frame.
 */
class AnyFrameFuzzTest {
  @FuzzTest(maxDuration = "15s")
  void decode(byte[] input) {
    Frame frame;
    try {
      frame = Codec.decode(input);
    } catch (Rejection expected) {
      return;
    }
    FuzzChecks.acceptedFrame(input, frame);
  }
}
