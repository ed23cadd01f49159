package dev.mmo.gs.play;

import dev.mmo.gs.match.TranscriptLog;
import dev.mmo.protocol.wire.Attested;
import dev.mmo.protocol.wire.JoinAccept;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes one session's {@link TranscriptLog} off the match's event loop: file I/O runs on one
 * worker thread, in the order the match hands over its ticks. At most {@value #MAX_PENDING_TICKS}
 * ticks may wait; a log that falls that far behind, or fails, is reported through {@link
 * #healthy()} and the match stops (an input that cannot be logged must not be played).
 *
 * <p>Used only from the match's event loop, except the worker's own tasks.
 */
final class TranscriptWriter {
  static final int MAX_PENDING_TICKS = 200;

  private final WorkerExecutor worker;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile String failure;
  // Touched only by the worker thread: tasks of one context run in order, one at a time.
  private TranscriptLog log;

  TranscriptWriter(WorkerExecutor worker) {
    this.worker = worker;
  }

  /** Creates the session's file; every later write waits behind this. */
  Future<Path> open(Path dir, Attested<JoinAccept> joinAccept, long seed) {
    return submit(
        () -> {
          log = TranscriptLog.create(dir, joinAccept, seed);
          return log.file();
        });
  }

  void write(TranscriptLog.Batch batch) {
    if (pending.get() >= MAX_PENDING_TICKS) {
      failure = "the transcript log is " + MAX_PENDING_TICKS + " ticks behind";
      return;
    }
    submit(
        () -> {
          if (log == null) {
            throw new IOException("transcript log not open");
          }
          log.write(batch);
          return null;
        });
  }

  Future<Void> close() {
    return submit(
            () -> {
              if (log != null) {
                log.close();
              }
              return null;
            })
        .mapEmpty();
  }

  /** Null while every write succeeded in time, else why not. */
  String failure() {
    return failure;
  }

  boolean healthy() {
    return failure == null;
  }

  private <T> Future<T> submit(IoTask<T> task) {
    pending.incrementAndGet();
    return worker
        .<T>executeBlocking(
            () -> {
              try {
                return task.run();
              } finally {
                pending.decrementAndGet();
              }
            },
            true)
        .onFailure(e -> failure = "transcript log: " + e.getMessage());
  }

  private interface IoTask<T> {
    T run() throws Exception;
  }
}
