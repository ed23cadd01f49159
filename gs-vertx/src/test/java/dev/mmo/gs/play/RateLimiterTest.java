package dev.mmo.gs.play;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void tryAcquire_burstThenRefused() {
    RateLimiter limiter = new RateLimiter(10, 5, 0);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire(0)).as("token %d", i).isTrue();
    }
    assertThat(limiter.tryAcquire(0)).isFalse();
  }

  @Test
  void tryAcquire_refillsAtTheRate_neverBeyondTheBurst() {
    RateLimiter limiter = new RateLimiter(10, 5, 0);
    for (int i = 0; i < 5; i++) {
      limiter.tryAcquire(0);
    }
    assertThat(limiter.tryAcquire(SECOND / 10)).isTrue();
    assertThat(limiter.tryAcquire(SECOND / 10)).isFalse();
    // A long silence refills the bucket only up to the burst.
    long later = 100 * SECOND;
    int granted = 0;
    while (limiter.tryAcquire(later)) {
      granted++;
    }
    assertThat(granted).isEqualTo(5);
  }
}
