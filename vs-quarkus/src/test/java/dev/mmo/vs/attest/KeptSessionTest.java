package dev.mmo.vs.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import dev.mmo.vs.session.NotarizedBaseline;
import dev.mmo.vs.session.NotarizedPosition;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeptSessionTest {
  private static final Ed25519PublicKey A = Ed25519KeyPair.generate(new SecureRandom()).publicKey();
  private static final Ed25519PublicKey B = Ed25519KeyPair.generate(new SecureRandom()).publicKey();
  private static final NotarizedBaseline JOIN = new NotarizedBaseline(0, 0, 1_000, "", 1_000);

  private final KeptSession kept = new KeptSession();

  @Test
  void empty_knowsNothing() {
    assertThat(kept.baseline()).isEmpty();
    assertThat(kept.unknown(List.of(A, B))).containsExactly(A, B);
    assertThatThrownBy(() -> kept.positionsOf(List.of(A)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void readPositions_rememberPlayersWithoutOneAsHavingNone() {
    NotarizedPosition a = new NotarizedPosition(new Vec2(1, 2), 3, 4);
    kept.read(List.of(A, B), Map.of(A, a));
    assertThat(kept.unknown(List.of(A, B))).isEmpty();
    assertThat(kept.positionsOf(List.of(A, B))).containsExactly(Map.entry(A, a));
  }

  @Test
  void notarized_becomesTheBaselineAndEveryPlayersPosition() {
    kept.read(JOIN);
    kept.read(List.of(A, B), Map.of());
    NotarizedBaseline next = new NotarizedBaseline(5, 20, 2_000, "ab", 1_000);
    kept.notarized(next, List.of(new PlayerPosition(A, new Vec2(7, 8))));

    assertThat(kept.baseline()).contains(next);
    assertThat(kept.positionsOf(List.of(A, B)))
        .containsExactly(Map.entry(A, new NotarizedPosition(new Vec2(7, 8), 20, 5)));
  }

  @Test
  void silenceWatch_dueFirstThenOnlyAfterTheInterval() {
    assertThat(kept.watchDue(10_000, 5_000)).isTrue();
    kept.watched(10_000);
    assertThat(kept.watchDue(10_000, 5_000)).isFalse();
    assertThat(kept.watchDue(14_999, 5_000)).isFalse();
    assertThat(kept.watchDue(15_000, 5_000)).isTrue();
    // Dropping the notarized state keeps the watch: Redis still holds the entry.
    kept.drop();
    assertThat(kept.watchDue(14_999, 5_000)).isFalse();
  }

  @Test
  void drop_forgetsTheNotarizedState() {
    kept.read(JOIN);
    kept.read(List.of(A), Map.of());
    kept.drop();
    assertThat(kept.baseline()).isEmpty();
    assertThat(kept.unknown(List.of(A))).containsExactly(A);
  }
}
