package dev.mmo.vs.admin.problem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import org.jboss.resteasy.reactive.RestResponse;
import org.junit.jupiter.api.Test;

/** The mapping of JAX-RS's own refusals, status by status, without a running VS. */
class ProblemMappersTest {
  private final ProblemMappers mappers = new ProblemMappers();

  @Test
  void http_knownClientError_getsItsOwnCode() {
    RestResponse<Problem> response = mappers.http(new WebApplicationException(413));

    assertThat(response.getStatus()).isEqualTo(413);
    assertThat(response.getEntity().code()).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(response.getEntity().status()).isEqualTo(413);
  }

  @Test
  void http_otherClientError_keepsItsStatusAsRequestRefused() {
    for (int status : new int[] {408, 411, 414, 418, 429, 431}) {
      RestResponse<Problem> response = mappers.http(new WebApplicationException(status));

      assertThat(response.getStatus()).as("status %d", status).isEqualTo(status);
      assertThat(response.getEntity().status()).isEqualTo(status);
      assertThat(response.getEntity().code()).isEqualTo("REQUEST_REFUSED");
      assertThat(response.getEntity().type()).isEqualTo("urn:mmo:problem:request-refused");
    }
  }

  @Test
  void http_serverError_isAnInternalErrorWithoutDetails() {
    RestResponse<Problem> response =
        mappers.http(new WebApplicationException("secret internals", 503));

    assertThat(response.getStatus()).isEqualTo(500);
    assertThat(response.getEntity().code()).isEqualTo("INTERNAL_ERROR");
    assertThat(response.getEntity().detail()).doesNotContain("secret");
  }

  @Test
  void unreadableBody_grownOverTheLimit_isPayloadTooLarge() {
    RestResponse<Problem> response = mappers.unreadableBody(new IOException("Request too large"));

    assertThat(response.getStatus()).isEqualTo(413);
    assertThat(response.getEntity().code()).isEqualTo("PAYLOAD_TOO_LARGE");
  }

  @Test
  void unreadableBody_otherwise_isInvalidBodyWithoutItsMessage() {
    RestResponse<Problem> response =
        mappers.unreadableBody(new IOException("Connection reset by /10.0.0.7"));

    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(response.getEntity().code()).isEqualTo("INVALID_BODY");
    assertThat(response.getEntity().detail()).doesNotContain("10.0.0.7");
  }

  @Test
  void http_badRequestCausedByADuplicateField_isDuplicateField() {
    JsonParseException duplicate =
        new JsonParseException((JsonParser) null, "Duplicate field 'reason'");

    RestResponse<Problem> response = mappers.http(new WebApplicationException(duplicate, 400));

    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(response.getEntity().code()).isEqualTo("DUPLICATE_FIELD");
    assertThat(response.getEntity().detail()).contains("'reason'");
  }
}
