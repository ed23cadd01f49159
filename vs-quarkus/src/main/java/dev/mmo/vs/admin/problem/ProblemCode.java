package dev.mmo.vs.admin.problem;

import java.util.Locale;

/**
 * Every machine-readable {@code code} the admin API answers with, its HTTP status and title. Codes
 * are stable: clients branch on them, so they are never renamed or reused.
 */
public enum ProblemCode {
  INVALID_BODY(400, "The request body is not valid JSON of the expected shape"),
  DUPLICATE_FIELD(400, "The request body names a field twice"),
  DUPLICATE_QUERY_PARAMETER(400, "The query names a parameter twice"),
  INVALID_GS_ID(400, "Not a valid game server id"),
  INVALID_PUBLIC_KEY(400, "Not a 32-byte public key in lowercase hex"),
  BAD_KEY(400, "Not a valid Ed25519 public key"),
  INVALID_SW_HASH(400, "Not a 32-byte software hash in lowercase hex"),
  DUPLICATE_SW_HASH(400, "A software hash is listed twice"),
  TOO_MANY_SW_HASHES(400, "More software hashes than a game server may have"),
  INVALID_REASON(400, "Not a valid reason"),
  INVALID_SESSION_ID(400, "Not a 16-byte session id in lowercase hex"),
  INVALID_STATUS(400, "Not a valid status"),
  INVALID_PAGE(400, "Not a valid page"),
  INVALID_REASON_CODE(400, "Not a known reason code or name"),
  INVALID_GS_COUNTER(400, "Not a valid gs_counter"),
  INVALID_RECEIPT_TIP(400, "Not a 32-byte receipt tip in lowercase hex"),
  INVALID_TRANSCRIPT(400, "Not a transcript of this session's ClientInput frames"),
  UNAUTHORIZED(401, "A valid bearer token is required"),
  FORBIDDEN(403, "The token's roles do not allow this"),
  NOT_FOUND(404, "No such resource"),
  GAME_SERVER_NOT_FOUND(404, "No such game server"),
  SOFTWARE_NOT_FOUND(404, "The software hash is not on the allow-list"),
  SESSION_NOT_FOUND(404, "No such session"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  NOT_ACCEPTABLE(406, "No acceptable representation"),
  PAYLOAD_TOO_LARGE(413, "The request body is too large"),
  TOO_MANY_TIPS(413, "More receipt tips than one verification checks"),
  TOO_MANY_INPUTS(413, "More transcript inputs than one verification checks"),
  TOO_MANY_RECEIPTS(422, "The session has more receipts than one verification checks"),
  GAME_SERVER_EXISTS(409, "A game server with this id was enrolled before"),
  GAME_SERVER_REVOKED(409, "The game server is revoked"),
  SOFTWARE_EXISTS(409, "The software hash is already on the allow-list"),
  SOFTWARE_LIMIT_REACHED(409, "The allow-list is full"),
  SESSION_NOT_ACTIVE(409, "The session was revoked or ended before"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  /** Over an admin limit (per source, per token, refused tokens, in flight): see Retry-After. */
  TOO_MANY_REQUESTS(429, "Too many admin requests; retry after the time Retry-After gives"),
  /** The HTTP layer could not read the request (a malformed request line or header field). */
  MALFORMED_REQUEST(400, "The request is not valid HTTP/1.1"),
  /** The request was not whole, or not answered, within the request timeout of its first byte. */
  REQUEST_TIMEOUT(408, "The request did not arrive in time"),
  REQUEST_LINE_TOO_LONG(414, "The request line is longer than 4,096 bytes"),
  HEADER_FIELDS_TOO_LARGE(431, "The header fields are larger than 8 KiB"),
  /**
   * Any other refusal by the HTTP layer itself. The only code without a fixed status: answered with
   * the 4xx status that layer chose (400 here is nominal).
   */
  REQUEST_REFUSED(400, "The request was refused"),
  INTERNAL_ERROR(500, "Internal error"),
  TRUST_ANCHORS_UNAVAILABLE(503, "The VS has not read its key from the HSM yet"),
  SERVICE_UNAVAILABLE(503, "A part the VS needs is down; nothing was done, try again");

  private final int status;
  private final String title;

  ProblemCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The RFC 9457 {@code type}: a URN naming the code, e.g. {@code urn:mmo:problem:bad-key}. */
  public String type() {
    return "urn:mmo:problem:" + name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
