package dev.fhirguard.internal.config;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Every property fhirguard reads. {@code docs/configuration.md} documents exactly these. */
public final class Settings {

  public static final Setting<String> FHIR_VERSION =
      Setting.oneOf(
          "fhirguard.fhir-version",
          "R4",
          List.of("DSTU3", "R4", "R4B", "R5"),
          "FHIR version of the OperationOutcomes fhirguard renders itself. The matching"
              + " hapi-fhir-structures jar must be on the classpath.");

  public static final Setting<URI> CODE_SYSTEM =
      Setting.absoluteUri(
          "fhirguard.outcome.code-system",
          "https://fhirguard.dev/CodeSystem/error-code",
          "System URI of the catalog coding in OperationOutcome.issue.details.coding.");

  public static final Setting<Boolean> PRETTY_PRINT =
      Setting.bool(
          "fhirguard.outcome.pretty-print", false, "Indent the OperationOutcomes fhirguard writes.");

  public static final Setting<Boolean> EXPOSE_CLIENT_ERROR_DETAILS =
      Setting.bool(
          "fhirguard.outcome.expose-client-error-details",
          true,
          "Put the (sanitized) message of a 4xx error into issue.diagnostics. When false, 4xx"
              + " errors carry only the catalog text. 5xx details are never exposed.");

  public static final Setting<Integer> MAX_DIAGNOSTICS_LENGTH =
      Setting.integer(
          "fhirguard.outcome.max-diagnostics-length",
          300,
          40,
          4000,
          "Longest issue.diagnostics text, in characters; longer messages are cut with an"
              + " ellipsis.");

  public static final Setting<Boolean> OUTCOME_TRACE_ID =
      Setting.bool(
          "fhirguard.outcome.include-trace-id",
          false,
          "Put the trace id of the request's W3C traceparent into every OperationOutcome, as the"
              + " extension https://fhirguard.dev/StructureDefinition/trace-id.");

  public static final Setting<Boolean> ACCEPT_CLIENT_REQUEST_ID =
      Setting.bool(
          "fhirguard.request-id.accept-client-id",
          true,
          "Use a valid incoming X-Request-ID as the transaction id. When false, every request gets"
              + " a fresh id and the client's value is returned in X-Correlation-Id.");

  public static final Setting<Integer> MAX_CORRELATION_ID_LENGTH =
      Setting.integer(
          "fhirguard.request-id.max-correlation-id-length",
          256,
          16,
          1024,
          "Longest rejected client id that is still echoed in X-Correlation-Id.");

  public static final Setting<Boolean> USE_TRACE_ID =
      Setting.bool(
          "fhirguard.request-id.use-trace-id",
          false,
          "Use the trace id of a valid W3C traceparent as the transaction id of a request that"
              + " sent no X-Request-ID. Without either, an id is generated.");

  public static final Setting<String> MDC_REQUEST_ID_KEY =
      Setting.text(
          "fhirguard.mdc.request-id-key",
          "requestId",
          "[A-Za-z][A-Za-z0-9._-]{0,63}",
          "a name of letters, digits, '.', '_' or '-' starting with a letter",
          "SLF4J MDC key that holds the transaction id during a request.");

  public static final Setting<String> MDC_CORRELATION_ID_KEY =
      Setting.text(
          "fhirguard.mdc.correlation-id-key",
          "correlationId",
          "[A-Za-z][A-Za-z0-9._-]{0,63}",
          "a name of letters, digits, '.', '_' or '-' starting with a letter",
          "SLF4J MDC key that holds the client's rejected request id (X-Correlation-Id), when"
              + " there is one.");

  public static final Setting<String> MDC_CLIENT_ID_KEY =
      Setting.text(
          "fhirguard.mdc.client-id-key",
          "clientId",
          "[A-Za-z][A-Za-z0-9._-]{0,63}",
          "a name of letters, digits, '.', '_' or '-' starting with a letter",
          "SLF4J MDC key that holds the verified client id of an authenticated request.");

  public static final Setting<String> MDC_TRACE_ID_KEY =
      Setting.text(
          "fhirguard.mdc.trace-id-key",
          "traceId",
          "[A-Za-z][A-Za-z0-9._-]{0,63}",
          "a name of letters, digits, '.', '_' or '-' starting with a letter",
          "SLF4J MDC key that holds the trace id of the request's W3C traceparent, when it sent a"
              + " valid one.");

  public static final Setting<String> MDC_SPAN_ID_KEY =
      Setting.text(
          "fhirguard.mdc.span-id-key",
          "spanId",
          "[A-Za-z][A-Za-z0-9._-]{0,63}",
          "a name of letters, digits, '.', '_' or '-' starting with a letter",
          "SLF4J MDC key that holds the parent (caller's span) id of the request's W3C"
              + " traceparent, when it sent a valid one.");

  private static final List<Setting<?>> CORE =
      List.of(
          FHIR_VERSION,
          CODE_SYSTEM,
          PRETTY_PRINT,
          EXPOSE_CLIENT_ERROR_DETAILS,
          MAX_DIAGNOSTICS_LENGTH,
          OUTCOME_TRACE_ID,
          ACCEPT_CLIENT_REQUEST_ID,
          MAX_CORRELATION_ID_LENGTH,
          USE_TRACE_ID,
          MDC_REQUEST_ID_KEY,
          MDC_CORRELATION_ID_KEY,
          MDC_TRACE_ID_KEY,
          MDC_SPAN_ID_KEY,
          MDC_CLIENT_ID_KEY);

  /** All settings, in documentation order. */
  public static final List<Setting<?>> ALL =
      Stream.of(CORE, AuthSettings.ALL, UpstreamSettings.ALL, LimitSettings.ALL,
              AdmissionSettings.ALL, ClusterSettingKeys.ALL).flatMap(List::stream).toList();

  private static final Map<String, Setting<?>> BY_KEY =
      ALL.stream().collect(Collectors.toUnmodifiableMap(Setting::key, Function.identity()));

  private static final List<Setting<?>> TEMPLATES =
      ALL.stream().filter(Setting::isTemplate).toList();

  /** The setting a concrete key belongs to (a template for a named key), or {@code null}. */
  public static Setting<?> find(String key) {
    Setting<?> plain = BY_KEY.get(key);
    if (plain != null && !plain.isTemplate()) {
      return plain;
    }
    for (Setting<?> template : TEMPLATES) {
      if (template.nameIn(key) != null) {
        return template;
      }
    }
    return null;
  }

  private Settings() {}
}
