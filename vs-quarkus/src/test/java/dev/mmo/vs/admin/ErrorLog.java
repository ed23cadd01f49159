package dev.mmo.vs.admin;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what the VS running in this JVM logs at ERROR or above while it is open: for tests of
 * what a client must never be able to make the VS log as a failure.
 */
final class ErrorLog implements AutoCloseable {
  private final List<String> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            records.add(
                record.getLoggerName()
                    + ": "
                    + record.getMessage()
                    + (record.getThrown() == null ? "" : " (" + record.getThrown() + ")"));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private ErrorLog() {}

  static ErrorLog open() {
    ErrorLog log = new ErrorLog();
    Logger.getLogger("").addHandler(log.handler);
    return log;
  }

  List<String> records() {
    return List.copyOf(records);
  }

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(handler);
  }
}
