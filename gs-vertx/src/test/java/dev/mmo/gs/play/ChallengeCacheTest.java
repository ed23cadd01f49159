package dev.mmo.gs.play;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.wire.Challenge;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class ChallengeCacheTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void remember_sameChallengeWithinTheWindow_seen() {
    ChallengeCache cache = new ChallengeCache(1_000, 10);
    Challenge c = Challenge.random(RANDOM);
    assertThat(cache.remember(c, 5_000)).isEqualTo(ChallengeCache.Outcome.FRESH);
    assertThat(cache.remember(c, 5_999)).isEqualTo(ChallengeCache.Outcome.SEEN);
  }

  @Test
  void remember_afterTheWindow_forgottenAndFreshAgain() {
    ChallengeCache cache = new ChallengeCache(1_000, 10);
    Challenge c = Challenge.random(RANDOM);
    cache.remember(c, 5_000);
    assertThat(cache.remember(c, 6_000)).isEqualTo(ChallengeCache.Outcome.FRESH);
  }

  @Test
  void remember_full_refusesNewUntilOldOnesExpire() {
    ChallengeCache cache = new ChallengeCache(1_000, 2);
    cache.remember(Challenge.random(RANDOM), 0);
    cache.remember(Challenge.random(RANDOM), 10);
    assertThat(cache.remember(Challenge.random(RANDOM), 20)).isEqualTo(ChallengeCache.Outcome.FULL);
    assertThat(cache.remember(Challenge.random(RANDOM), 1_000))
        .isEqualTo(ChallengeCache.Outcome.FRESH);
  }
}
