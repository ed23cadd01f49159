package dev.mmo.gs.vs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SentDigestsTest {
  private static Hash h(String s) {
    return Sha256.hash(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void take_exactMatchOnly_once() {
    SentDigests sent = new SentDigests(4);
    sent.add(2, h("tip"), h("frame"));

    assertThat(sent.take(2, h("other tip"), h("frame"))).isFalse();
    assertThat(sent.take(2, h("tip"), h("other frame"))).isFalse();
    assertThat(sent.take(3, h("tip"), h("frame"))).isFalse();
    assertThat(sent.take(2, h("tip"), h("frame"))).isTrue();
    assertThat(sent.take(2, h("tip"), h("frame"))).isFalse();
  }

  @Test
  void add_overCapacity_forgetsTheOldest() {
    SentDigests sent = new SentDigests(2);
    sent.add(1, h("1"), h("f1"));
    sent.add(2, h("2"), h("f2"));
    sent.add(3, h("3"), h("f3"));

    assertThat(sent.size()).isEqualTo(2);
    assertThat(sent.take(1, h("1"), h("f1"))).isFalse();
    assertThat(sent.take(3, h("3"), h("f3"))).isTrue();
    assertThat(sent.take(2, h("2"), h("f2"))).isTrue();
  }
}
