package dev.mmo.vs.session;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.wire.GsId;
import dev.mmo.vs.redis.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The Redis side of game-server revocation: one marker per revoked game server ({@link
 * RedisKeys#gameServerRevoked}), which every ticket round and every resume reads before it issues
 * anything for one of its sessions. PostgreSQL is the record; the marker is how every replica
 * learns it, whether or not the session index still lists the session.
 */
@ApplicationScoped
public class RevokedGameServers {
  /** A game server's revocation: the reason its sessions are revoked with, and when. */
  public record Marker(int reasonCode, long decidedAtMs) {
    String encode() {
      return reasonCode + ":" + decidedAtMs;
    }

    static Marker decode(String value) {
      int colon = value.indexOf(':');
      if (colon < 1) {
        throw new IllegalStateException("revocation marker is not code:time: " + value);
      }
      return new Marker(
          Integer.parseInt(value.substring(0, colon)), Long.parseLong(value.substring(colon + 1)));
    }
  }

  private final ReactiveRedisDataSource redis;

  public RevokedGameServers(ReactiveRedisDataSource redis) {
    this.redis = redis;
  }

  /**
   * Marks {@code gs} revoked unless it already is (the first decision stays, so every replica signs
   * the same Revoke); true when this call set the marker.
   */
  public Uni<Boolean> mark(GsId gs, Marker marker) {
    requireNonNull(marker, "marker");
    return redis
        .execute(Command.SET, RedisKeys.gameServerRevoked(gs), marker.encode(), "NX")
        .map(response -> response != null);
  }

  /** The marker of {@code gs}, when it is revoked. */
  public Uni<Optional<Marker>> find(GsId gs) {
    return redis
        .value(String.class)
        .get(RedisKeys.gameServerRevoked(gs))
        .map(value -> Optional.ofNullable(value).map(Marker::decode));
  }
}
