package dev.mmo.demo;

import dev.mmo.gs.GsMain;
import dev.mmo.gs.vs.TranscriptSource;
import dev.mmo.protocol.world.PlayerPosition;
import dev.mmo.protocol.world.Vec2;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rogue host of {@code make demo}: mmo's game server, unchanged, except that what it reports to
 * the VS teleports a player once {@code MMO_DEMO_TELEPORT_AFTER} (default 10s) has passed since
 * start. Its clients see the honest match; the VS sees the lie in the next signed digest, and
 * revokes. Same commands as the GS jar ({@code run}, {@code keygen}, {@code print-sw-hash}); its
 * sw_hash is this jar's, so it is enrolled as the software it is.
 */
public final class TeleportingGs {
  /** How long the host plays honest before it lies. */
  static final String AFTER = "MMO_DEMO_TELEPORT_AFTER";

  private TeleportingGs() {}

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    Duration after = Duration.ofSeconds(Long.parseLong(env.getOrDefault(AFTER, "10")));
    Clock clock = Clock.systemUTC();
    long from = clock.millis() + after.toMillis();
    int status =
        GsMain.run(
            args, env, System.out, System.err, source -> new Teleporting(source, clock, from));
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Reports the match as it is until {@code fromMs}, then with the first player moved half the
   * world away from where it stands (inside the default bounds), a jump no speed limit allows.
   */
  static final class Teleporting implements TranscriptSource {
    /** Half the default world: far beyond a second's travel (5,000 units at the default speed). */
    static final int JUMP = 50_000;

    private final TranscriptSource match;
    private final Clock clock;
    private final long fromMs;
    private volatile boolean announced;

    Teleporting(TranscriptSource match, Clock clock, long fromMs) {
      this.match = match;
      this.clock = clock;
      this.fromMs = fromMs;
    }

    @Override
    public State current() {
      State honest = match.current();
      if (clock.millis() < fromMs || honest.positions().isEmpty()) {
        return honest;
      }
      List<PlayerPosition> positions = new ArrayList<>(honest.positions());
      PlayerPosition first = positions.get(0);
      int x = first.position().x();
      Vec2 moved = new Vec2(x > 0 ? x - JUMP : x + JUMP, first.position().y());
      positions.set(0, new PlayerPosition(first.player(), moved));
      if (!announced) {
        announced = true;
        System.err.println(
            "demo: teleporting player "
                + first.player().hex().substring(0, 16)
                + " at "
                + clock.millis()
                + " ms");
      }
      return new State(honest.tick(), honest.receiptTip(), positions);
    }
  }
}
