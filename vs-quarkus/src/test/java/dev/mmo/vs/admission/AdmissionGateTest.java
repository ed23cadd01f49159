package dev.mmo.vs.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.vs.admission.LatencyWindow.Summary;
import org.junit.jupiter.api.Test;

class AdmissionGateTest {
  private static final Summary CALM = new Summary(100, 20, 40);
  private final AdmissionGate gate =
      new AdmissionGate(new AdmissionGate.Limits(500, 500, 1_000, 3, 50, 0, 0));

  @Test
  void calmWindows_admit() {
    assertThat(gate.windowClosed(window(CALM, CALM, CALM))).isTrue();
    assertThat(gate.closedBecause()).isEmpty();
  }

  @Test
  void frameWaitOverItsLimit_closesAndSaysWhy() {
    assertThat(gate.windowClosed(window(new Summary(100, 510, 900), CALM, CALM))).isFalse();
    assertThat(gate.closedBecause().orElseThrow()).contains("510 ms").contains("limit 500 ms");
  }

  @Test
  void eventLoopLagIsJudgedOnItsLargest() {
    assertThat(gate.windowClosed(window(CALM, new Summary(20, 10, 600), CALM))).isFalse();
    assertThat(gate.closedBecause().orElseThrow()).contains("event loops run 600 ms late");
  }

  @Test
  void receiptsOverTheirLimit_close() {
    assertThat(gate.windowClosed(window(CALM, CALM, new Summary(100, 1_500, 2_000)))).isFalse();
    assertThat(gate.closedBecause().orElseThrow()).contains("receipts take 1500 ms");
  }

  @Test
  void atTheLimit_stillAdmits() {
    Summary atLimit = new Summary(100, 500, 500);
    assertThat(gate.windowClosed(window(atLimit, atLimit, new Summary(1, 1_000, 1_000)))).isTrue();
  }

  @Test
  void reopensOnlyAfterEnoughCalmWindowsInARow() {
    Summary slow = new Summary(100, 800, 900);
    gate.windowClosed(window(slow, CALM, CALM));

    assertThat(gate.windowClosed(window(CALM, CALM, CALM))).isFalse();
    assertThat(gate.windowClosed(window(CALM, CALM, CALM))).isFalse();
    // A slow window starts the count again.
    assertThat(gate.windowClosed(window(slow, CALM, CALM))).isFalse();
    assertThat(gate.windowClosed(window(CALM, CALM, CALM))).isFalse();
    assertThat(gate.windowClosed(window(CALM, CALM, CALM))).isFalse();
    assertThat(gate.windowClosed(window(CALM, CALM, CALM))).isTrue();
    assertThat(gate.closedBecause()).isEmpty();
  }

  @Test
  void emptyWindows_countAsCalm() {
    gate.windowClosed(window(new Summary(1, 900, 900), CALM, CALM));
    for (int i = 0; i < 2; i++) {
      assertThat(gate.windowClosed(window(Summary.EMPTY, Summary.EMPTY, Summary.EMPTY))).isFalse();
    }
    assertThat(gate.windowClosed(window(Summary.EMPTY, Summary.EMPTY, Summary.EMPTY))).isTrue();
  }

  @Test
  void noFramesChecked_admitsHoweverLateTheLoopsRun() {
    Summary late = new Summary(20, 900, 900);
    assertThat(gate.windowClosed(window(Summary.EMPTY, late, late))).isTrue();
  }

  @Test
  void neverBehind_admitsAtTheFullRate() {
    assertThat(gate.joinsPerSecond()).isEqualTo(50);
    gate.windowClosed(window(CALM, CALM, CALM));
    assertThat(gate.joinsPerSecond()).isEqualTo(50);
  }

  @Test
  void reopened_startsAtATenthAndAddsATenthPerCalmWindow() {
    Summary slow = new Summary(100, 800, 900);
    gate.windowClosed(window(slow, CALM, CALM));
    assertThat(gate.joinsPerSecond()).isZero();
    gate.windowClosed(window(CALM, CALM, CALM));
    gate.windowClosed(window(CALM, CALM, CALM));
    assertThat(gate.joinsPerSecond()).isZero();

    assertThat(gate.windowClosed(window(CALM, CALM, CALM))).isTrue();
    assertThat(gate.joinsPerSecond()).isEqualTo(5);
    for (int expected = 10; expected <= 50; expected += 5) {
      gate.windowClosed(window(CALM, CALM, CALM));
      assertThat(gate.joinsPerSecond()).isEqualTo(expected);
    }
    gate.windowClosed(window(CALM, CALM, CALM));
    assertThat(gate.joinsPerSecond()).isEqualTo(50);
  }

  @Test
  void behindWhileRamping_closesAndStartsTheRampAgain() {
    Summary slow = new Summary(100, 800, 900);
    gate.windowClosed(window(slow, CALM, CALM));
    for (int i = 0; i < 5; i++) {
      gate.windowClosed(window(CALM, CALM, CALM));
    }
    assertThat(gate.joinsPerSecond()).isEqualTo(15);

    assertThat(gate.windowClosed(window(slow, CALM, CALM))).isFalse();
    assertThat(gate.joinsPerSecond()).isZero();
    for (int i = 0; i < 3; i++) {
      gate.windowClosed(window(CALM, CALM, CALM));
    }
    assertThat(gate.joinsPerSecond()).isEqualTo(5);
  }

  @Test
  void aSmallLimit_rampsByOneJoin() {
    AdmissionGate small = new AdmissionGate(new AdmissionGate.Limits(500, 500, 1_000, 1, 3, 0, 0));
    small.windowClosed(window(new Summary(100, 800, 900), CALM, CALM));
    small.windowClosed(window(CALM, CALM, CALM));
    assertThat(small.joinsPerSecond()).isEqualTo(1);
    small.windowClosed(window(CALM, CALM, CALM));
    small.windowClosed(window(CALM, CALM, CALM));
    small.windowClosed(window(CALM, CALM, CALM));
    assertThat(small.joinsPerSecond()).isEqualTo(3);
  }

  @Test
  void limits_mustBePositive() {
    assertThatThrownBy(() -> new AdmissionGate.Limits(0, 500, 1_000, 3, 50, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdmissionGate.Limits(500, 500, 1_000, 0, 50, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdmissionGate.Limits(500, 500, 1_000, 3, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void framesBehindAndNotDraining_shedFromTheShedAfterWindowOn() {
    AdmissionGate shedding = sheddingGate();
    assertThat(shedding.shedPercent()).isEqualTo(5);
    shedding.windowClosed(window(new Summary(100, 800, 900), CALM, CALM));
    shedding.windowClosed(window(new Summary(100, 900, 950), CALM, CALM));
    assertThat(shedding.shedNow()).isFalse();
    assertThat(shedding.shedding()).isFalse();

    // The third window behind in a row, the wait still growing.
    shedding.windowClosed(window(new Summary(100, 1_200, 1_300), CALM, CALM));
    assertThat(shedding.shedNow()).isTrue();
    assertThat(shedding.shedding()).isTrue();
    // A wait that holds is shed too: the replica does not catch up.
    shedding.windowClosed(window(new Summary(100, 1_200, 1_300), CALM, CALM));
    assertThat(shedding.shedNow()).isTrue();
  }

  @Test
  void aDrainingBacklog_isNotShedButResumesStayRefusedUntilReopened() {
    AdmissionGate shedding = sheddingGate();
    for (int i = 0; i < 3; i++) {
      shedding.windowClosed(window(new Summary(100, 2_000, 2_000), CALM, CALM));
    }
    assertThat(shedding.shedNow()).isTrue();

    shedding.windowClosed(window(new Summary(100, 1_995, 2_000), CALM, CALM));
    assertThat(shedding.shedNow()).isFalse();
    assertThat(shedding.shedding()).isTrue();
    shedding.windowClosed(window(CALM, CALM, CALM));
    shedding.windowClosed(window(CALM, CALM, CALM));
    assertThat(shedding.shedding()).isTrue();
    assertThat(shedding.windowClosed(window(CALM, CALM, CALM))).isTrue();
    assertThat(shedding.shedding()).isFalse();
    assertThat(shedding.shedNow()).isFalse();
  }

  @Test
  void aCalmWindow_startsTheCountBeforeSheddingAgain() {
    AdmissionGate shedding = sheddingGate();
    Summary slow = new Summary(100, 800, 900);
    shedding.windowClosed(window(slow, CALM, CALM));
    shedding.windowClosed(window(slow, CALM, CALM));
    shedding.windowClosed(window(CALM, CALM, CALM));
    shedding.windowClosed(window(slow, CALM, CALM));
    shedding.windowClosed(window(slow, CALM, CALM));
    assertThat(shedding.shedNow()).isFalse();
    shedding.windowClosed(window(slow, CALM, CALM));
    assertThat(shedding.shedNow()).isTrue();
  }

  @Test
  void behindOnlyOnLoopLagOrReceipts_closesButNeverSheds() {
    AdmissionGate shedding = sheddingGate();
    for (int i = 0; i < 10; i++) {
      assertThat(shedding.windowClosed(window(CALM, new Summary(20, 900, 900), CALM))).isFalse();
      assertThat(shedding.windowClosed(window(CALM, CALM, new Summary(100, 2_000, 2_000))))
          .isFalse();
      assertThat(shedding.shedNow()).isFalse();
    }
    assertThat(shedding.shedding()).isFalse();
  }

  @Test
  void shedAfterZero_neverSheds() {
    for (int i = 0; i < 10; i++) {
      gate.windowClosed(window(new Summary(100, 10_000, 10_000), CALM, CALM));
      assertThat(gate.shedNow()).isFalse();
    }
    assertThat(gate.shedding()).isFalse();
  }

  @Test
  void shedPercent_mustBeAShareWhenShedding() {
    assertThatThrownBy(() -> new AdmissionGate.Limits(500, 500, 1_000, 3, 50, 3, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdmissionGate.Limits(500, 500, 1_000, 3, 50, 3, 101))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdmissionGate.Limits(500, 500, 1_000, 3, 50, -1, 5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Sheds 5 % after three windows of frames over 500 ms. */
  private static AdmissionGate sheddingGate() {
    return new AdmissionGate(new AdmissionGate.Limits(500, 500, 1_000, 3, 50, 3, 5));
  }

  private static AdmissionGate.Window window(Summary frames, Summary lag, Summary receipts) {
    return new AdmissionGate.Window(frames, lag, receipts);
  }
}
