package dev.fhirguard.client.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The words about a failed answer: the log line of each failure and the note at the end of the
 * exception's message, both naming the transaction id to quote to the server's support.
 */
final class Report {

  private static final Logger LOG = LoggerFactory.getLogger("dev.fhirguard.client");

  private final String request;
  private final Answer answer;
  private final String transactionId;
  private final String correlationId;
  private final String code;

  Report(String request, Answer answer, String sentId, String codeSystem) {
    this.request = request;
    this.answer = answer;
    String answered = answer.header(Headers.REQUEST_ID);
    this.transactionId = LogText.safe(answered != null ? answered : sentId);
    String correlation = answer.header(Headers.CORRELATION_ID);
    this.correlationId = correlation == null ? null : LogText.safe(correlation);
    String catalog = OutcomeReader.catalogCode(answer.outcome(), codeSystem);
    this.code = catalog == null ? null : LogText.safe(catalog);
  }

  String request() {
    return request;
  }

  String transactionId() {
    return transactionId;
  }

  /** "GET /fhir/Patient answered 503 MAINTENANCE (transaction id 1a2b)". */
  String describe() {
    return request + " answered " + answer.status() + (code == null ? "" : " " + code)
        + " (" + ids() + ")";
  }

  void log(Verdict verdict, int attempts) {
    String line = describe() + ": " + next(verdict, attempts);
    if (verdict.isRetry()) {
      LOG.info(line);
    } else if (answer.status() >= 500 || verdict.kind() == Verdict.Kind.GIVE_UP) {
      LOG.warn(line);
    } else {
      LOG.info(line);
    }
  }

  /** The end of the exception's message: "(transaction id 1a2b; 3 attempts; gave up: ...)". */
  String note(Verdict verdict, int attempts) {
    StringBuilder note = new StringBuilder("(").append(ids());
    if (attempts > 1) {
      note.append("; ").append(attempts).append(" attempts");
    }
    if (verdict.reason() != null) {
      note.append("; ").append(verdict.reason());
    }
    return note.append(')').toString();
  }

  private String ids() {
    return "transaction id " + transactionId
        + (correlationId == null ? "" : ", correlation id " + correlationId);
  }

  private static String next(Verdict verdict, int attempts) {
    if (verdict.isRetry()) {
      return "retry " + attempts + " in " + Durations.words(verdict.delay());
    }
    if (verdict.reason() != null) {
      return verdict.reason();
    }
    return attempts > 1 ? "failed after " + attempts + " attempts" : "failed";
  }
}
