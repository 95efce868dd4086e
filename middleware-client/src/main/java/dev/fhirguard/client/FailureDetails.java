package dev.fhirguard.client;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import dev.fhirguard.client.internal.Durations;
import dev.fhirguard.client.internal.FailureNotes;
import dev.fhirguard.client.internal.Headers;
import dev.fhirguard.client.internal.LogText;
import dev.fhirguard.client.internal.OutcomeReader;
import dev.fhirguard.client.internal.RetryAfterHeader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;

/**
 * What a failed FHIR call said, in one place: the status, the catalog code, the transaction id to
 * quote to support, the {@code Retry-After}, the correlation id. The headers are those {@link
 * FhirGuardClient} attached to the exception; without it (HAPI drops them) only what the
 * OperationOutcome says is known.
 *
 * <pre>{@code
 * } catch (BaseServerResponseException e) {
 *   FailureDetails failure = FailureDetails.of(e);
 *   log.warn("Patient search failed: {}", failure); // HTTP 429 RATE_LIMITED (transaction id ...)
 *   failure.retryAfter().ifPresent(wait -> ...);
 * }
 * }</pre>
 */
public final class FailureDetails {

  private final int status;
  private final Map<String, List<String>> headers;
  private final IBaseOperationOutcome outcome;
  private final String codeSystem;
  private final Instant at;
  private final FailureNotes.Note note;

  FailureDetails(int status, Map<String, List<String>> headers, IBaseOperationOutcome outcome,
      String codeSystem, Instant at, FailureNotes.Note note) {
    this.status = status;
    this.headers = Headers.lowerCase(headers);
    this.outcome = outcome;
    this.codeSystem = codeSystem;
    this.at = at;
    this.note = note;
  }

  /** The details of {@code failure}, with fhirguard's catalog code system. */
  public static FailureDetails of(BaseServerResponseException failure) {
    return of(failure, FhirGuardClient.DEFAULT_CODE_SYSTEM);
  }

  /** The details of {@code failure}, the catalog code read under {@code codeSystem}. */
  public static FailureDetails of(BaseServerResponseException failure, String codeSystem) {
    Objects.requireNonNull(failure, "failure");
    return new FailureDetails(failure.getStatusCode(), failure.getResponseHeaders(),
        failure.getOperationOutcome(), Objects.requireNonNull(codeSystem, "codeSystem"),
        Instant.now(), FailureNotes.of(failure));
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The catalog code, e.g. {@code RATE_LIMITED}: the issue coding under the code system. */
  public Optional<String> catalogCode() {
    return Optional.ofNullable(OutcomeReader.catalogCode(outcome, codeSystem));
  }

  /**
   * The transaction id to quote to the server's support: the answer's {@code X-Request-ID}, else
   * the one {@link FhirGuardClient} sent, else the OperationOutcome's id (where fhirguard also
   * writes it).
   */
  public Optional<String> transactionId() {
    return header(Headers.REQUEST_ID)
        .or(() -> Optional.ofNullable(note == null ? null : note.sentRequestId()))
        .or(() -> Optional.ofNullable(OutcomeReader.id(outcome)));
  }

  /** The answers the call got, retries included (1 when {@link FhirGuardClient} was not used). */
  public int attempts() {
    return note == null ? 1 : note.attempts();
  }

  /** {@code X-Correlation-Id}: the request id the client sent, when the server did not adopt it. */
  public Optional<String> correlationId() {
    return header(Headers.CORRELATION_ID);
  }

  /** The wait the server asked for ({@code Retry-After}, seconds or HTTP-date), when valid. */
  public Optional<Duration> retryAfter() {
    return RetryAfterHeader.parse(header(RetryAfterHeader.NAME).orElse(null), at);
  }

  /** The first issue's diagnostics. */
  public Optional<String> diagnostics() {
    return Optional.ofNullable(OutcomeReader.diagnostics(outcome));
  }

  /** The first value of response header {@code name} (any case). */
  public Optional<String> header(String name) {
    return Optional.ofNullable(Headers.first(headers, name));
  }

  /** Whether the response headers are known (the call went through {@link FhirGuardClient}). */
  public boolean hasHeaders() {
    return !headers.isEmpty();
  }

  /** One line for a log or a support ticket: "HTTP 429 RATE_LIMITED (transaction id 1a2b, ...)". */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("HTTP ").append(status);
    catalogCode().ifPresent(code -> text.append(' ').append(LogText.safe(code)));
    String ids = String.join(", ", List.of(
        transactionId().map(id -> "transaction id " + LogText.safe(id)).orElse(""),
        correlationId().map(id -> "correlation id " + LogText.safe(id)).orElse(""),
        retryAfter().map(wait -> "retry after " + Durations.words(wait)).orElse(""))
        .stream().filter(part -> !part.isEmpty()).toList());
    return ids.isEmpty() ? text.toString() : text.append(" (").append(ids).append(')').toString();
  }
}
