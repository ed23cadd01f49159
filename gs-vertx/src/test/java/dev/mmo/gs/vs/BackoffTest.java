package dev.mmo.gs.vs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void next_doublesUpToTheCapWithJitterAndResets() {
    Backoff backoff = new Backoff(100, 1_000, new Random(7));
    long[] ceilings = {100, 200, 400, 800, 1_000, 1_000, 1_000};
    for (long ceiling : ceilings) {
      long d = backoff.next();
      assertThat(d).isBetween(ceiling / 2, ceiling);
    }
    for (int i = 0; i < 1_000; i++) {
      assertThat(backoff.next()).isBetween(500L, 1_000L);
    }

    backoff.reset();

    assertThat(backoff.next()).isBetween(50L, 100L);
  }

  @Test
  void next_withAFloor_drawsFromTheFloorAndKeepsDoubling() {
    Backoff backoff = new Backoff(100, 1_000, new Random(7));
    for (int i = 0; i < 1_000; i++) {
      assertThat(backoff.next(10_000)).isBetween(5_000L, 10_000L);
    }
    backoff.reset();
    assertThat(backoff.next(10_000)).isBetween(5_000L, 10_000L);
    assertThat(backoff.next()).isBetween(100L, 200L);
  }
}
