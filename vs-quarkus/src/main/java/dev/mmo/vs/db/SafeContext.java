package dev.mmo.vs.db;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs Hibernate Reactive work on a safe duplicated Vert.x context, whatever thread asks for it.
 *
 * <p>A reactive session is bound to the Vert.x context that opened it, and Quarkus only lets
 * Panache open one on a duplicated context flagged safe (isolated). REST handlers and
 * websockets-next callbacks already run on such a context and keep it, so a session they opened is
 * shared; a Vert.x timer, a message consumer on the root event-loop context or a plain thread gets
 * a fresh duplicated context of its own event loop instead.
 */
public final class SafeContext {
  private SafeContext() {}

  public static <T> Uni<T> run(Vertx vertx, Supplier<Uni<T>> work) {
    Context current = Vertx.currentContext();
    if (current != null
        && VertxContext.isDuplicatedContext(current)
        && VertxContextSafetyToggle.isExplicitlyMarkedAsSafe(current)) {
      return Uni.createFrom().deferred(work::get);
    }
    Context isolated =
        VertxContext.createNewDuplicatedContext(
            current != null ? current : vertx.getOrCreateContext());
    VertxContextSafetyToggle.setContextSafe(isolated, true);
    return Uni.createFrom()
        .emitter(
            emitter ->
                isolated.runOnContext(
                    ignored ->
                        Uni.createFrom()
                            .deferred(work::get)
                            .subscribe()
                            .with(emitter::complete, emitter::fail)));
  }
}
