package dev.mmo.vs.admin;

import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.restassured.builder.ResponseSpecBuilder;
import io.restassured.specification.ResponseSpecification;
import java.util.Locale;

/** What every admin API error must look like: RFC 9457 problem details with a stable code. */
public final class Problems {
  private Problems() {}

  public static ResponseSpecification problem(int status, String code) {
    return new ResponseSpecBuilder()
        .expectStatusCode(status)
        .expectContentType("application/problem+json")
        .expectBody("status", equalTo(status))
        .expectBody("code", equalTo(code))
        .expectBody(
            "type", equalTo("urn:mmo:problem:" + code.toLowerCase(Locale.ROOT).replace('_', '-')))
        .expectBody("title", not(emptyOrNullString()))
        .expectBody("detail", not(emptyOrNullString()))
        .build();
  }
}
