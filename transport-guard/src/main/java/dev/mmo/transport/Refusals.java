package dev.mmo.transport;

/**
 * The body a server gives the answers that refuse a request before its application saw it: the bare
 * {@code 4xx} and {@code 5xx} of its HTTP stack (a request line or header fields too long, a
 * malformed request) and the guard's own {@code 408}. A {@link ConnectionGuard} on a port that
 * serves plain HTTP puts it into each such answer on its way out.
 */
@FunctionalInterface
public interface Refusals {
  /** A body and its media type. */
  record Body(String mediaType, byte[] bytes) {}

  /**
   * The body of a refusal with {@code status} (400..599) and the reason phrase the server wrote;
   * {@code null} leaves the answer without one.
   */
  Body body(int status, String reasonPhrase);
}
