package dev.mmo.vs.gs;

import dev.mmo.protocol.wire.SessionId;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The game-server connections this replica holds, by connection id. */
@ApplicationScoped
public class GsLinks {
  /** Names this VS replica in session ownership; new at every start. */
  private final String replicaId = UUID.randomUUID().toString();

  private final Map<String, GsLink> byConnection = new ConcurrentHashMap<>();

  String ownerFor(String connectionId) {
    return replicaId + "/" + connectionId;
  }

  void add(GsLink link) {
    byConnection.put(link.connection.id(), link);
  }

  /** Whether {@code link} is still the connection's current link (not closed and removed). */
  boolean holds(GsLink link) {
    return byConnection.get(link.connection.id()) == link;
  }

  Optional<GsLink> get(String connectionId) {
    return Optional.ofNullable(byConnection.get(connectionId));
  }

  Optional<GsLink> remove(String connectionId) {
    return Optional.ofNullable(byConnection.remove(connectionId));
  }

  /** The connection bound to {@code session} here, if any. */
  Optional<GsLink> boundTo(SessionId session) {
    return byConnection.values().stream().filter(l -> session.equals(l.session)).findFirst();
  }

  /**
   * The connections bound to a session here, the most recently bound first: the order in which a
   * replica that sheds closes them, as the sessions that have carried the least so far.
   */
  List<GsLink> boundNewestFirst() {
    return byConnection.values().stream()
        .filter(l -> l.boundAtMs > 0)
        .sorted(Comparator.comparingLong((GsLink l) -> l.boundAtMs).reversed())
        .toList();
  }

  /** How many game-server connections this replica holds. */
  int size() {
    return byConnection.size();
  }
}
