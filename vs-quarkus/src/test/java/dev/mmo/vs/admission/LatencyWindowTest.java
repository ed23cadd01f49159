package dev.mmo.vs.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyWindowTest {
  @Test
  void close_summarisesTheWindowToTheBucketAndStartsAnEmptyOne() {
    LatencyWindow w = new LatencyWindow();
    for (int i = 0; i < 990; i++) {
      w.record(12);
    }
    for (int i = 0; i < 10; i++) {
      w.record(700);
    }

    LatencyWindow.Summary s = w.close();

    assertThat(s.count()).isEqualTo(1_000);
    assertThat(s.p99Ms()).isEqualTo(15); // 12 ms falls in the 10-15 ms bucket
    assertThat(s.maxMs()).isEqualTo(705);
    assertThat(w.close()).isEqualTo(LatencyWindow.Summary.EMPTY);
  }

  @Test
  void close_p99IsTheSlowOnesOnceThereAreMoreThanOnePercent() {
    LatencyWindow w = new LatencyWindow();
    for (int i = 0; i < 98; i++) {
      w.record(1);
    }
    w.record(400);
    w.record(400);

    assertThat(w.close().p99Ms()).isEqualTo(405);
  }

  @Test
  void record_clampsNegativesToZeroAndTheFarTailToTheCeiling() {
    LatencyWindow w = new LatencyWindow();
    w.record(-3);
    w.record(Long.MAX_VALUE);

    LatencyWindow.Summary s = w.close();

    assertThat(s.count()).isEqualTo(2);
    assertThat(s.maxMs()).isEqualTo(LatencyWindow.CEILING_MS);
    assertThat(s.p99Ms()).isEqualTo(LatencyWindow.CEILING_MS);
  }
}
