package dev.fhirguard.client.internal;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

/**
 * The exception HAPI's client throws for a failed answer, built the same way (the subclass of the
 * status, the message "HTTP 429 Too Many Requests: diagnostics", the parsed OperationOutcome, the
 * body), plus what HAPI drops: the response headers (names in lower case) and, at the end of the
 * message, the transaction id and what the retries did.
 */
public final class HapiFailures {

  private static final String TEXT_PLAIN = "text/plain";

  private HapiFailures() {}

  public static BaseServerResponseException exception(Answer answer, String note) {
    StringBuilder message = new StringBuilder()
        .append("HTTP ").append(answer.status()).append(' ').append(answer.statusInfo());
    String detail = TEXT_PLAIN.equals(answer.mimeType())
        ? answer.body() : OutcomeReader.diagnostics(answer.outcome());
    if (detail != null) {
      message.append(": ").append(detail);
    }
    if (note != null) {
      message.append(' ').append(note);
    }
    BaseServerResponseException exception =
        BaseServerResponseException.newInstance(answer.status(), message.toString());
    exception.setOperationOutcome(answer.outcome());
    if (answer.body() != null) {
      exception.setResponseBody(answer.body());
    }
    answer.headers().forEach((name, values) ->
        values.forEach(value -> exception.addResponseHeader(name, value)));
    return exception;
  }
}
