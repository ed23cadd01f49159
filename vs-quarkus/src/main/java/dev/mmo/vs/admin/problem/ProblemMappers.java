package dev.mmo.vs.admin.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.mmo.vs.admin.GameServerAlreadyEnrolledException;
import dev.mmo.vs.admin.GameServerNotFoundException;
import dev.mmo.vs.admin.GameServerRevokedException;
import dev.mmo.vs.admin.InvalidRequestException;
import dev.mmo.vs.admin.LimitExceededException;
import dev.mmo.vs.admin.ServiceUnavailableException;
import dev.mmo.vs.admin.SessionNotActiveException;
import dev.mmo.vs.admin.SessionNotFoundException;
import dev.mmo.vs.admin.SoftwareAlreadyAllowedException;
import dev.mmo.vs.admin.SoftwareLimitReachedException;
import dev.mmo.vs.admin.SoftwareNotAllowedException;
import dev.mmo.vs.admin.TrustAnchorsUnavailableException;
import dev.mmo.vs.admin.limits.AdminBusyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where the admin API turns failures into RFC 9457 problem details: one mapper per
 * exception, each naming its stable code. Details never carry stack traces or class names.
 */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  /**
   * Jackson's words for a field named twice (StreamReadFeature.STRICT_DUPLICATE_DETECTION); the
   * mapping is pinned by StrictBodyTest, so a change of wording shows as a failing test.
   */
  private static final Pattern DUPLICATE_FIELD = Pattern.compile("Duplicate field '(.*)'");

  /** What the HTTP layer's request stream says when a body without length grew too large. */
  private static final String TOO_LARGE = "Request too large";

  /** How long a client should wait before asking again for what the HSM must answer. */
  private static final String RETRY_AFTER_SECONDS = "5";

  @ServerExceptionMapper
  public RestResponse<Problem> adminBusy(AdminBusyException e) {
    return RestResponse.ResponseBuilder.fromResponse(
            problem(ProblemCode.TOO_MANY_REQUESTS, e.getMessage()))
        .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
        .build();
  }

  @ServerExceptionMapper
  public RestResponse<Problem> invalidRequest(InvalidRequestException e) {
    return problem(e.code(), e.getMessage());
  }

  @ServerExceptionMapper
  public RestResponse<Problem> limitExceeded(LimitExceededException e) {
    return problem(e.code(), e.getMessage());
  }

  @ServerExceptionMapper
  public RestResponse<Problem> gameServerNotFound(GameServerNotFoundException e) {
    return problem(ProblemCode.GAME_SERVER_NOT_FOUND, e.getMessage());
  }

  @ServerExceptionMapper
  public RestResponse<Problem> gameServerExists(GameServerAlreadyEnrolledException e) {
    return problem(ProblemCode.GAME_SERVER_EXISTS, e.getMessage());
  }

  @ServerExceptionMapper
  public RestResponse<Problem> gameServerRevoked(GameServerRevokedException e) {
    return problem(ProblemCode.GAME_SERVER_REVOKED, e.getMessage());
  }

  @ServerExceptionMapper
  public RestResponse<Problem> sessionNotActive(SessionNotActiveException e) {
    return problem(ProblemCode.SESSION_NOT_ACTIVE, e.getMessage());
  }

  @ServerExceptionMapper
  public RestResponse<Problem> serviceUnavailable(ServiceUnavailableException e) {
    LOG.warnf("503: %s: %s", e.getMessage(), String.valueOf(e.getCause()));
    return problem(ProblemCode.SERVICE_UNAVAILABLE, e.getMessage());
  }

  @ServerExceptionMapper
  public RestResponse<Problem> softwareExists(SoftwareAlreadyAllowedException e) {
    return problem(ProblemCode.SOFTWARE_EXISTS, e.getMessage());
  }

  @ServerExceptionMapper
  public RestResponse<Problem> softwareNotFound(SoftwareNotAllowedException e) {
    return problem(ProblemCode.SOFTWARE_NOT_FOUND, e.getMessage());
  }

  @ServerExceptionMapper
  public RestResponse<Problem> softwareLimitReached(SoftwareLimitReachedException e) {
    return problem(ProblemCode.SOFTWARE_LIMIT_REACHED, e.getMessage());
  }

  @ServerExceptionMapper
  public RestResponse<Problem> sessionNotFound(SessionNotFoundException e) {
    return problem(ProblemCode.SESSION_NOT_FOUND, e.getMessage());
  }

  /** Not logged: the HSM signer already logs its outages, once each, and anyone may call this. */
  @ServerExceptionMapper
  public RestResponse<Problem> trustAnchorsUnavailable(TrustAnchorsUnavailableException e) {
    return RestResponse.ResponseBuilder.fromResponse(
            problem(ProblemCode.TRUST_ANCHORS_UNAVAILABLE, e.getMessage()))
        .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
        .build();
  }

  /** No credentials on an operation that needs them (RFC 6750 section 3). */
  @ServerExceptionMapper
  public RestResponse<Problem> unauthorized(UnauthorizedException e) {
    return RestResponse.ResponseBuilder.fromResponse(
            problem(ProblemCode.UNAUTHORIZED, "this operation needs a bearer token"))
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .build();
  }

  /** A token that does not verify: bad signature, wrong issuer, expired, malformed. */
  @ServerExceptionMapper
  public RestResponse<Problem> authenticationFailed(AuthenticationFailedException e) {
    return RestResponse.ResponseBuilder.fromResponse(
            problem(ProblemCode.UNAUTHORIZED, "the bearer token is invalid or expired"))
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
        .build();
  }

  @ServerExceptionMapper
  public RestResponse<Problem> forbidden(ForbiddenException e) {
    return problem(ProblemCode.FORBIDDEN, "the token's roles do not allow this operation");
  }

  /** A body that is not JSON, or not of the expected shape. */
  @ServerExceptionMapper({
    JsonProcessingException.class,
    JsonMappingException.class,
    MismatchedInputException.class,
    UnrecognizedPropertyException.class
  })
  public RestResponse<Problem> invalidJson(JsonProcessingException e) {
    Matcher duplicate = DUPLICATE_FIELD.matcher(String.valueOf(e.getOriginalMessage()));
    if (duplicate.matches()) {
      return problem(
          ProblemCode.DUPLICATE_FIELD, "field '" + duplicate.group(1) + "' appears more than once");
    }
    return problem(ProblemCode.INVALID_BODY, describe(e));
  }

  /**
   * The request body could not be read: the client stopped sending, or a body without
   * Content-Length grew over quarkus.http.limits.max-body-size (the HTTP layer has then answered
   * 413 and closed the connection itself). Nothing the VS did wrong, so no stack trace.
   */
  @ServerExceptionMapper
  public RestResponse<Problem> unreadableBody(IOException e) {
    LOG.debugf("admin API request body unreadable: %s", e.getMessage());
    if (TOO_LARGE.equals(e.getMessage())) {
      return problem(ProblemCode.PAYLOAD_TOO_LARGE, ProblemCode.PAYLOAD_TOO_LARGE.title());
    }
    return problem(ProblemCode.INVALID_BODY, "the request body could not be read");
  }

  /**
   * What JAX-RS itself refuses: an unknown path, a wrong method or media type, a body too large.
   * Any other client error keeps its status as {@code REQUEST_REFUSED}; only a server error is
   * unexpected.
   */
  @ServerExceptionMapper
  public RestResponse<Problem> http(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    // The JSON reader reports a body that does not parse (a field named twice among others) as a
    // plain 400 with the parser's exception as the cause.
    if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
      return invalidJson(json);
    }
    ProblemCode code =
        switch (status) {
          case 400 -> ProblemCode.INVALID_BODY;
          case 404 -> ProblemCode.NOT_FOUND;
          case 405 -> ProblemCode.METHOD_NOT_ALLOWED;
          case 406 -> ProblemCode.NOT_ACCEPTABLE;
          case 413 -> ProblemCode.PAYLOAD_TOO_LARGE;
          case 415 -> ProblemCode.UNSUPPORTED_MEDIA_TYPE;
          default -> null;
        };
    if (code != null) {
      return problem(code, code.title());
    }
    if (status >= 400 && status < 500) {
      ProblemCode refused = ProblemCode.REQUEST_REFUSED;
      return problem(
          status,
          new Problem(
              refused.type(),
              refused.title(),
              status,
              "the HTTP layer refused the request (" + status + ")",
              refused.name()));
    }
    return unexpected(e);
  }

  /** A bug: the caller learns nothing but that it happened; the log gets everything. */
  @ServerExceptionMapper
  public RestResponse<Problem> unexpected(Throwable e) {
    LOG.error("admin API request failed unexpectedly", e);
    return problem(ProblemCode.INTERNAL_ERROR, "the request failed; see the VS log");
  }

  private static RestResponse<Problem> problem(ProblemCode code, String detail) {
    return problem(code.status(), Problem.of(code, detail));
  }

  private static RestResponse<Problem> problem(int status, Problem problem) {
    return RestResponse.ResponseBuilder.<Problem>create(status)
        .entity(problem)
        .type(Problem.MEDIA_TYPE)
        .build();
  }

  /** Names the offending field without Jackson's internals (class names, source excerpts). */
  private static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return "unknown field '" + unknown.getPropertyName() + "'";
    }
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String field =
          mapping.getPath().stream()
              .map(
                  ref ->
                      ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
              .collect(Collectors.joining("."));
      return "field '" + field + "' has the wrong type";
    }
    return "the body is not well-formed JSON";
  }
}
