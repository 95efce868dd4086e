package dev.fhirguard.internal.events;

import dev.fhirguard.GuardListener;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * Records fhirguard's verdict on the current OpenTelemetry span (the request's server span), per
 * the HTTP semantic conventions: a 5xx sets the span's status to ERROR and {@code error.type} to the
 * catalog code; a 4xx leaves the status unset. Either way {@code fhirguard.code} names the code.
 * Loaded only when the OpenTelemetry API is on the classpath ({@link GuardEvents#of}).
 */
final class SpanVerdicts implements GuardListener {

  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> CODE = AttributeKey.stringKey("fhirguard.code");

  @Override
  public void onOutcome(Outcome outcome) {
    Span span = Span.current();
    if (!span.isRecording()) {
      return; // no span, an invalid one, or one that is not sampled
    }
    String code = outcome.code().code();
    span.setAttribute(CODE, code);
    if (outcome.status() >= 500) {
      span.setAttribute(ERROR_TYPE, code);
      span.setStatus(StatusCode.ERROR);
    }
  }
}
