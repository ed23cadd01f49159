package dev.mmo.vs.enrollment;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.vs.db.SafeContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Enrolled game servers as the join path reads them (docs/protocol.md section 8.1, steps 2-5). */
@ApplicationScoped
public class EnrollmentService {
  private final Vertx vertx;

  public EnrollmentService(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * The enrollment of {@code id}, or empty when no such game server was ever enrolled. A revoked
   * game server is returned with {@code revoked = true}.
   *
   * <p>Never blocks. Callable from any thread: on a safe duplicated context (a websockets-next
   * callback, a REST handler) it joins the reactive session already open there, anywhere else it
   * opens one on a fresh duplicated context of the caller's event loop. It completes on a Vert.x
   * event loop.
   */
  public Uni<Optional<Enrollment>> find(GsId id) {
    requireNonNull(id, "id");
    return SafeContext.run(vertx, () -> Panache.withSession(() -> load(id)));
  }

  private static Uni<Optional<Enrollment>> load(GsId id) {
    return GameServerEntity.<GameServerEntity>findById(id.value())
        .flatMap(
            gs ->
                gs == null
                    ? Uni.createFrom().item(Optional.<Enrollment>empty())
                    : AllowedSoftwareEntity.listFor(id)
                        .map(
                            software -> {
                              Set<Hash> allowed =
                                  software.stream()
                                      .map(AllowedSoftwareEntity::hash)
                                      .collect(Collectors.toSet());
                              return Optional.of(
                                  new Enrollment(id, gs.key(), gs.isRevoked(), allowed));
                            }));
  }
}
