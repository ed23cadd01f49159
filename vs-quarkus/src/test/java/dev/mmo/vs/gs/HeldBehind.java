package dev.mmo.vs.gs;

import dev.mmo.vs.admission.Admission;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds a replica behind until stopped: records, every 50 ms, a heartbeat that waited 8 s for its
 * check, as the endpoint does when its connections' queues grow. Every window then shows the same
 * wait, far past any limit the tests set, and not draining.
 */
final class HeldBehind {
  private final AtomicBoolean behind = new AtomicBoolean(true);
  private final Thread thread;

  private HeldBehind(Admission admission) {
    thread =
        new Thread(
            () -> {
              while (behind.get()) {
                admission.frameWaited(8_000);
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "held-behind");
    thread.start();
  }

  static HeldBehind start(Admission admission) {
    return new HeldBehind(admission);
  }

  /** Lets the replica catch up: no more slow frames once this returns. */
  void stop() throws InterruptedException {
    behind.set(false);
    thread.join();
  }
}
