package dev.mmo.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a {@link ConnectionGuard} reads of the HTTP/1.1 response heads its server writes: a server
 * writes each head as the start of one buffer, so the start of that buffer is all it looks at.
 */
final class ResponseHead {
  private static final byte[] RESPONSE = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_HEAD = 4096;
  private static final String END = "\r\n\r\n";
  private static final Pattern WEBSOCKET_UPGRADE =
      Pattern.compile("(?im)^upgrade:[ \\t]*websocket[ \\t]*\\r?$");

  private ResponseHead() {}

  /** Whether {@code out} starts a response ({@code HTTP/1.x}). */
  static boolean isResponse(ByteBuf out) {
    if (out.readableBytes() < RESPONSE.length) {
      return false;
    }
    int at = out.readerIndex();
    for (int k = 0; k < RESPONSE.length; k++) {
      if (out.getByte(at + k) != RESPONSE[k]) {
        return false;
      }
    }
    return true;
  }

  /** The status code of a response head, or -1 when its status line has none. */
  static int status(ByteBuf out) {
    // "HTTP/1.x NNN"
    int at = out.readerIndex() + RESPONSE.length + 2;
    if (out.readableBytes() < RESPONSE.length + 5 || out.getByte(at - 1) != ' ') {
      return -1;
    }
    int status = 0;
    for (int k = 0; k < 3; k++) {
      int digit = out.getByte(at + k) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      status = status * 10 + digit;
    }
    return status;
  }

  /** Whether the response is informational and not a switch of protocols (100 Continue, 103). */
  static boolean isInterim(ByteBuf out) {
    int status = status(out);
    return status >= 100 && status < 200 && status != 101;
  }

  /**
   * Whether a {@code 101} response head switches to WebSocket: its {@code Upgrade} field names it.
   * A {@code 101} to HTTP/2 (h2c) is not a WebSocket as far as the guard is concerned.
   */
  static boolean upgradesToWebSocket(ByteBuf out) {
    return status(out) == 101 && WEBSOCKET_UPGRADE.matcher(text(out)).find();
  }

  /**
   * {@code out} with the body {@code refusals} gives it, when {@code out} is a bare refusal: one
   * whole head with a {@code 4xx} or {@code 5xx} status, {@code content-length: 0}, no content type
   * and no transfer coding. Else {@code null}: the server's answer stays as it is. Its other header
   * fields are kept.
   */
  static ByteBuf withBody(ByteBuf out, Refusals refusals) {
    int status = status(out);
    if (refusals == null || status < 400 || status > 599 || out.readableBytes() > MAX_HEAD) {
      return null;
    }
    String head = text(out);
    if (head.indexOf(END) != head.length() - END.length()) {
      return null;
    }
    String[] lines = head.substring(0, head.length() - END.length()).split("\r\n", -1);
    StringBuilder kept = new StringBuilder(lines[0]).append("\r\n");
    boolean emptyBody = false;
    for (int i = 1; i < lines.length; i++) {
      String field = lines[i].toLowerCase(Locale.ROOT);
      if (field.startsWith("content-type:") || field.startsWith("transfer-encoding:")) {
        return null;
      }
      if (field.startsWith("content-length:")) {
        emptyBody = field.substring("content-length:".length()).trim().equals("0");
      } else {
        kept.append(lines[i]).append("\r\n");
      }
    }
    String[] statusLine = lines[0].split(" ", 3);
    Refusals.Body body =
        emptyBody ? refusals.body(status, statusLine.length == 3 ? statusLine[2] : "") : null;
    if (body == null) {
      return null;
    }
    kept.append("content-type: ")
        .append(body.mediaType())
        .append("\r\ncontent-length: ")
        .append(body.bytes().length)
        .append(END);
    return Unpooled.wrappedBuffer(
        kept.toString().getBytes(StandardCharsets.ISO_8859_1), body.bytes().clone());
  }

  private static String text(ByteBuf out) {
    return out.toString(
        out.readerIndex(), Math.min(out.readableBytes(), MAX_HEAD), StandardCharsets.ISO_8859_1);
  }
}
