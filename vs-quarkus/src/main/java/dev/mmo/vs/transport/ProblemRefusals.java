package dev.mmo.vs.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmo.transport.Refusals;
import dev.mmo.vs.admin.problem.Problem;
import dev.mmo.vs.admin.problem.ProblemCode;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The problem document (RFC 9457, {@link Problem}) the VS's connection guard puts into every
 * refusal its HTTP layer answers bare, and into the guard's own {@code 408}: a request line too
 * long (414, {@code REQUEST_LINE_TOO_LONG}), header fields too large (431, {@code
 * HEADER_FIELDS_TOO_LARGE}), a request that is not HTTP/1.1 (400, {@code MALFORMED_REQUEST}), one
 * that did not arrive in time (408, {@code REQUEST_TIMEOUT}), any other with its own status ({@code
 * REQUEST_REFUSED}). The body never repeats anything the client sent.
 */
final class ProblemRefusals implements Refusals {
  private static final Map<Integer, ProblemCode> CODES =
      Map.of(
          400, ProblemCode.MALFORMED_REQUEST,
          408, ProblemCode.REQUEST_TIMEOUT,
          413, ProblemCode.PAYLOAD_TOO_LARGE,
          414, ProblemCode.REQUEST_LINE_TOO_LONG,
          431, ProblemCode.HEADER_FIELDS_TOO_LARGE);

  private final ObjectMapper json = new ObjectMapper();

  /** One body per status (at most the 200 of 400..599), made on first use. */
  private final Map<Integer, Body> bodies = new ConcurrentHashMap<>();

  @Override
  public Body body(int status, String reasonPhrase) {
    return bodies.computeIfAbsent(status, this::make);
  }

  private Body make(int status) {
    ProblemCode code = CODES.getOrDefault(status, ProblemCode.REQUEST_REFUSED);
    Problem problem =
        new Problem(
            code.type(),
            code.title(),
            status,
            "refused by the HTTP layer before the request reached the VS",
            code.name());
    try {
      return new Body(Problem.MEDIA_TYPE, json.writeValueAsBytes(problem));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
