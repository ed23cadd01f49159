package dev.mmo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.gs.vs.TranscriptSource;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeleportingGsTest {
  private final PlayerPosition a =
      new PlayerPosition(Ed25519KeyPair.generate(new SecureRandom()).publicKey(), new Vec2(10, 20));
  private final PlayerPosition b =
      new PlayerPosition(Ed25519KeyPair.generate(new SecureRandom()).publicKey(), new Vec2(-5, 7));
  private final TranscriptSource.State honest =
      new TranscriptSource.State(42, Hash.ZERO, List.of(a, b));

  @Test
  void beforeTheHour_reportsTheMatchAsItIs() {
    var lying = new TeleportingGs.Teleporting(() -> honest, at(999), 1_000);

    assertThat(lying.current()).isEqualTo(honest);
  }

  @Test
  void fromTheHour_theFirstPlayerJumpsHalfTheWorldAndNothingElseChanges() {
    var lying = new TeleportingGs.Teleporting(() -> honest, at(1_000), 1_000);

    TranscriptSource.State reported = lying.current();

    assertThat(reported.tick()).isEqualTo(42);
    assertThat(reported.receiptTip()).isEqualTo(Hash.ZERO);
    assertThat(reported.positions().get(0).player()).isEqualTo(a.player());
    assertThat(reported.positions().get(0).position())
        .isEqualTo(new Vec2(10 - TeleportingGs.Teleporting.JUMP, 20));
    assertThat(reported.positions().get(1)).isEqualTo(b);
  }

  private static Clock at(long ms) {
    return Clock.fixed(Instant.ofEpochMilli(ms), ZoneOffset.UTC);
  }
}
