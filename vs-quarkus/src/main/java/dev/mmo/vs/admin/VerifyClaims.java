package dev.mmo.vs.admin;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.admin.ReceiptVerification.CounterTip;
import dev.mmo.vs.admin.problem.ProblemCode;
import java.io.IOException;
import java.util.List;

/**
 * The claims of one receipt verification, read from its body: either tips at counters, or the
 * session's transcript (decoded and checked to be this session's inputs). Read on the admin worker
 * ({@link dev.mmo.vs.admin.limits.AdminWorkers}): a body of up to ten thousand items is never
 * parsed on an event loop.
 *
 * @param tips the claimed tips, or null
 * @param inputs the transcript's ClientInput frames in order, or null
 */
record VerifyClaims(List<CounterTip> tips, List<byte[]> inputs) {
  /**
   * Reads {@code body} strictly with {@code reader} (a {@link StrictJson} reader of {@link
   * AdminRequests.VerifyReceipts}).
   *
   * @throws InvalidRequestException, LimitExceededException as the checks of {@link AdminInput}
   * @throws IOException when the body is not JSON of that shape (answered INVALID_BODY)
   */
  static VerifyClaims read(ObjectReader reader, byte[] body, SessionId session, int maxItems)
      throws IOException {
    if (body == null || body.length == 0) {
      throw new InvalidRequestException(ProblemCode.INVALID_BODY, "a JSON body is required");
    }
    AdminRequests.VerifyReceipts request = AdminInput.body(reader.readValue(body));
    if ((request.tips() == null) == (request.transcript() == null)) {
      throw new InvalidRequestException(
          ProblemCode.INVALID_BODY, "give either tips or transcript, and only one of them");
    }
    if (request.tips() != null) {
      return new VerifyClaims(AdminInput.tips(request.tips(), maxItems), null);
    }
    return new VerifyClaims(null, AdminInput.transcript(request.transcript(), session, maxItems));
  }
}
