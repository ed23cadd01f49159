package dev.mmo.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReasonTest {
  @Test
  void codes_uniqueInRangeAndMappedBothWays() {
    for (Reason r : Reason.values()) {
      assertThat(r.code()).isBetween(1, 999);
      assertThat(Reason.fromCode(r.code())).isSameAs(r);
      assertThat(r.closeCode()).isBetween(4000, 4999);
      assertThat(Reason.fromCloseCode(r.closeCode())).isSameAs(r);
    }
    assertThat(Reason.fromCode(0)).isNull();
    assertThat(Reason.fromCloseCode(1000)).isNull();
  }

  @Test
  void nameOf_knownAndUnknownCodes_nameOrCodeN() {
    assertThat(Reason.nameOf(20)).isEqualTo("BAD_SIGNATURE");
    assertThat(Reason.nameOf(777)).isEqualTo("CODE_777");
  }
}
