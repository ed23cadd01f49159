package dev.mmo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.client.Disconnect;
import dev.mmo.client.Disconnect.Origin;
import dev.mmo.protocol.Reason;
import dev.mmo.protocol.crypto.Ed25519KeyPair;
import dev.mmo.protocol.wire.PlayTicket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not part of {@code make test}: how long clients stay on a game server after its
 * session is revoked, over many revocations, on real processes (bench/kick-times.sh runs it;
 * docs/benchmarks.md has the figures). Each round starts a game server process, connects the
 * clients, revokes through the admin API and waits until every client is out.
 *
 * <ul>
 *   <li>operator revoke: request -> each client out with {@code OPERATOR_ACTION} (the GS forwards
 *       the signed Revoke);
 *   <li>hidden revoke: a host in front of the GS drops the Revoke and keeps the sockets open; each
 *       client's newest ticket -> out with {@code NO_FRESH_TICKET} (the starvation kick time).
 * </ul>
 *
 * <p>System properties: {@code kick.rounds} (default 20), {@code kick.hidden-rounds} (default 3),
 * {@code kick.clients} per game server (default 10).
 */
class KickTimes {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void revokeToClientsOut() throws Exception {
    int rounds = Integer.getInteger("kick.rounds", 20);
    int hiddenRounds = Integer.getInteger("kick.hidden-rounds", 3);
    int clients = Integer.getInteger("kick.clients", 10);
    List<Long> lastOut = new ArrayList<>();
    List<Long> eachOut = new ArrayList<>();
    List<Long> starved = new ArrayList<>();
    try (Vs vs = Vs.start(Map.of())) {
      Admin admin = Admin.of(vs);
      for (int r = 0; r < rounds; r++) {
        List<Long> round = operatorRound(vs, admin, clients);
        eachOut.addAll(round);
        lastOut.add(round.stream().mapToLong(Long::longValue).max().orElseThrow());
        System.out.printf(
            "kick: round %d/%d: last of %d clients out after %d ms%n",
            r + 1, rounds, clients, lastOut.get(lastOut.size() - 1));
      }
      for (int r = 0; r < hiddenRounds; r++) {
        starved.addAll(hiddenRound(vs, admin, clients));
      }
    }
    System.out.println("kick: operator revoke request -> last client out:   " + summary(lastOut));
    System.out.println("kick: operator revoke request -> each client out:   " + summary(eachOut));
    if (!starved.isEmpty()) {
      System.out.println("kick: revoke hidden, newest ticket -> client out:   " + summary(starved));
    }
    assertThat(lastOut).hasSize(rounds);
  }

  private static List<Long> operatorRound(Vs vs, Admin admin, int clients) throws Exception {
    try (Gs gs = Gs.enrolled(freshId(), vs, admin).start(vs)) {
      List<Player> players = new ArrayList<>();
      try {
        for (int i = 0; i < clients; i++) {
          players.add(Player.joined(gs));
        }
        String session = gs.session().orElseThrow();
        long requested = System.nanoTime();
        admin.post("/api/sessions/" + session + "/revoke", "{\"reason\":\"kick times\"}", 200);
        List<Long> out = new ArrayList<>();
        for (Player p : players) {
          Disconnect d = p.out.get(30, TimeUnit.SECONDS);
          assertThat(d.reason()).contains(Reason.OPERATOR_ACTION);
          out.add(TimeUnit.NANOSECONDS.toMillis(p.outNanos - requested));
        }
        return out;
      } finally {
        players.forEach(Player::close);
      }
    }
  }

  private static List<Long> hiddenRound(Vs vs, Admin admin, int clients) throws Exception {
    try (Gs gs = Gs.enrolled(freshId(), vs, admin).start(vs);
        RogueHost host =
            RogueHost.relaying(gs.play(), RogueHost.hidingTheRevoke(new AtomicInteger()))) {
      List<Player> players = new ArrayList<>();
      try {
        for (int i = 0; i < clients; i++) {
          players.add(Player.joined(gs, host.play(), Ed25519KeyPair.generate(RANDOM)));
        }
        PlayTicket shown = players.get(0).session().newestTicket();
        String session = gs.session().orElseThrow();
        admin.post("/api/sessions/" + session + "/revoke", "{\"reason\":\"kick times\"}", 200);
        List<Long> out = new ArrayList<>();
        for (Player p : players) {
          Disconnect d = p.out.get(30, TimeUnit.SECONDS);
          assertThat(d.origin()).isEqualTo(Origin.CLIENT);
          assertThat(d.reason()).contains(Reason.NO_FRESH_TICKET);
          out.add(TimeUnit.NANOSECONDS.toMillis(p.outNanos - p.lastTicketNanos));
        }
        System.out.printf(
            "kick: hidden revoke, ticket lifetime %d ms: newest ticket -> out %s%n",
            shown.notAfterMs() - shown.notBeforeMs(), out);
        return out;
      } finally {
        players.forEach(Player::close);
      }
    }
  }

  /** n, p50, p95, p99 (nearest rank) and max. */
  static String summary(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return String.format(
        "n=%d p50 %d / p95 %d / p99 %d / max %d ms",
        sorted.size(),
        rank(sorted, 0.50),
        rank(sorted, 0.95),
        rank(sorted, 0.99),
        sorted.get(sorted.size() - 1));
  }

  private static long rank(List<Long> sorted, double q) {
    int index = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static String freshId() {
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    return "kick-" + HexFormat.of().formatHex(random);
  }
}
