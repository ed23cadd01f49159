package dev.mmo.transport;

import io.netty.buffer.ByteBuf;
import java.util.Locale;

/**
 * Reads the first HTTP request head of a connection as its bytes arrive, exactly as leniently as
 * the HTTP decoder behind the guard: whitespace and control bytes before the request line are
 * skipped, and a line ends at LF with an optional CR. It learns two things: where the head ends,
 * and whether it asks for a WebSocket (an {@code Upgrade} field naming {@code websocket}). Not
 * thread-safe: one per connection.
 */
final class RequestHead {
  /** Only a line's start matters (a field name and a short value); the rest is not kept. */
  private static final int KEPT_LINE = 256;

  private final StringBuilder line = new StringBuilder();
  private boolean started;
  private boolean requestLine = true;
  private boolean lineHasContent;
  private boolean asksForWebSocket;
  private boolean complete;

  /**
   * Reads the readable bytes of {@code in} (its indices are left alone).
   *
   * @return how many bytes of {@code in} follow the end of the head, or -1 while it is not complete
   */
  int read(ByteBuf in) {
    int end = in.writerIndex();
    for (int i = in.readerIndex(); i < end && !complete; i++) {
      char c = (char) (in.getByte(i) & 0xFF);
      if (!started) {
        if (Character.isISOControl(c) || Character.isWhitespace(c)) {
          continue;
        }
        started = true;
      }
      if (c == '\n') {
        endOfLine();
        if (complete) {
          return end - i - 1;
        }
      } else if (c != '\r') {
        lineHasContent = true;
        if (line.length() < KEPT_LINE) {
          line.append(c);
        }
      }
    }
    return complete ? 0 : -1;
  }

  boolean complete() {
    return complete;
  }

  boolean asksForWebSocket() {
    return asksForWebSocket;
  }

  private void endOfLine() {
    if (!lineHasContent) {
      complete = true;
      return;
    }
    if (!requestLine) {
      String field = line.toString().toLowerCase(Locale.ROOT);
      if (field.startsWith("upgrade:") && field.contains("websocket")) {
        asksForWebSocket = true;
      }
    }
    requestLine = false;
    lineHasContent = false;
    line.setLength(0);
  }
}
