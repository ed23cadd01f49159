package dev.mmo.vs.admin.limits;

import dev.mmo.vs.admin.AdminConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that does the admin API's CPU work (decoding and folding a transcript, checking
 * tips), so that it never runs on an event loop that game servers share. It takes at most {@code
 * mmo.admin.limits.max-queued-checks} waiting jobs; beyond, the job is refused with {@link
 * AdminBusyException} (429).
 */
@ApplicationScoped
public class AdminWorkers {
  private final ThreadPoolExecutor pool;

  public AdminWorkers(AdminConfig config) {
    this.pool =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(Math.max(1, config.limits().maxQueuedChecks())),
            task -> {
              Thread thread = new Thread(task, "mmo-admin-worker");
              thread.setDaemon(true);
              thread.setPriority(Thread.MIN_PRIORITY);
              return thread;
            });
  }

  @PreDestroy
  void stop() {
    pool.shutdownNow();
  }

  /**
   * Runs {@code work} on the admin thread; its item (or failure) comes back on the Vert.x context
   * that subscribed, so a reactive session opened there goes on there. Fails with {@link
   * AdminBusyException} when the thread has as many jobs waiting as it takes.
   */
  public <T> Uni<T> run(Work<T> work) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              Context caller = Vertx.currentContext();
              try {
                pool.execute(
                    () -> {
                      T result;
                      try {
                        result = work.get();
                      } catch (Exception e) {
                        back(caller, () -> emitter.fail(e));
                        return;
                      }
                      back(caller, () -> emitter.complete(result));
                    });
              } catch (RejectedExecutionException e) {
                emitter.fail(
                    new AdminBusyException(
                        "the VS is checking as many verifications as it takes at once", 1));
              }
            });
  }

  /** Work for the admin thread; what it throws is the Uni's failure, as it is. */
  @FunctionalInterface
  public interface Work<T> {
    T get() throws Exception;
  }

  private static void back(Context caller, Runnable emit) {
    if (caller == null) {
      emit.run();
    } else {
      caller.runOnContext(ignored -> emit.run());
    }
  }
}
