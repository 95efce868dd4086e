package dev.fhirguard.feature.tracking;

import static dev.fhirguard.testing.Outcomes.requestId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.testing.LogCapture;
import dev.fhirguard.testing.Outcomes;
import dev.fhirguard.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** W3C {@code traceparent} over real HTTP: read strictly, logged through the MDC, never echoed. */
class TraceparentTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";
  private static final String VALID = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";
  private static final String EXTENSION = "https://fhirguard.dev/StructureDefinition/trace-id";

  @RegisterExtension static final TestServer server = TestServer.perClass();
  @RegisterExtension static final TestServer traced = TestServer.perClass(Map.of(
      "fhirguard.outcome.include-trace-id", "true",
      "fhirguard.request-id.use-trace-id", "true"));

  private LogCapture capture;

  @BeforeEach
  void capture() {
    capture = new LogCapture();
  }

  @AfterEach
  void release() {
    capture.close();
  }

  /** The application's log line of the request whose transaction id is {@code requestId}. */
  private ILoggingEvent plainLine(String requestId) {
    return capture.events().stream()
        .filter(e -> e.getFormattedMessage().contains("plain servlet doing ok"))
        .filter(e -> requestId.equals(e.getMDCPropertyMap().get("requestId")))
        .findFirst().orElseThrow(() -> new AssertionError("no line for " + requestId + " among\n"
            + String.join("\n", capture.lines())));
  }

  @Test
  void the_log_line_of_a_request_carries_its_trace_id_and_span_id() {
    HttpResponse<String> response =
        server.get("/plain/ok", "X-Request-ID", "trace-log-1", "traceparent", VALID);
    assertEquals(200, response.statusCode());
    Map<String, String> mdc = plainLine("trace-log-1").getMDCPropertyMap();
    assertEquals(TRACE_ID, mdc.get("traceId"));
    assertEquals(SPAN_ID, mdc.get("spanId"));
  }

  @Test
  void the_trace_keys_leave_the_mdc_with_the_request() {
    server.get("/plain/ok", "X-Request-ID", "trace-log-2", "traceparent", VALID);
    HttpResponse<String> next = server.get("/plain/ok", "X-Request-ID", "trace-log-3");
    assertEquals(200, next.statusCode());
    Map<String, String> mdc = plainLine("trace-log-3").getMDCPropertyMap();
    assertFalse(mdc.containsKey("traceId") || mdc.containsKey("spanId"), mdc::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "cc-" + TRACE_ID + "-" + SPAN_ID + "-01",
      "cc-" + TRACE_ID + "-" + SPAN_ID + "-01-what-the-future-will-be-like",
      "00-" + TRACE_ID + "-" + SPAN_ID + "-00"})
  void a_valid_header_of_the_spec_is_accepted(String header) {
    String id = "trace-ok-" + Math.abs(header.hashCode());
    server.get("/plain/ok", "X-Request-ID", id, "TraceParent", header);
    assertEquals(TRACE_ID, plainLine(id).getMDCPropertyMap().get("traceId"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "ff-" + TRACE_ID + "-" + SPAN_ID + "-01",
      "00-" + TRACE_ID + "-" + SPAN_ID + "-01-what-the-future-will-be-like",
      "00-" + TRACE_ID + "-" + SPAN_ID + "-01.",
      "00-00000000000000000000000000000000-" + SPAN_ID + "-01",
      "00-" + TRACE_ID + "-0000000000000000-01",
      "00-" + TRACE_ID + "-" + SPAN_ID + "-.1",
      "00-" + TRACE_ID + "-" + SPAN_ID + "-001",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + SPAN_ID + "-01",
      "00-" + TRACE_ID + "0-" + SPAN_ID + "-01",
      "00-" + TRACE_ID + "-" + SPAN_ID + "1-01",
      "00-" + TRACE_ID + "-" + SPAN_ID,
      "00-" + TRACE_ID + "-" + SPAN_ID + "-01\"}{x=<script>"})
  void an_invalid_header_is_ignored_and_appears_neither_in_the_response_nor_in_the_log(
      String header) {
    String id = "trace-bad-" + Math.abs(header.hashCode());
    HttpResponse<String> ok = server.get("/plain/ok", "X-Request-ID", id, "traceparent", header);
    HttpResponse<String> error =
        traced.get("/fhir/Patient/999", "traceparent", header, "Accept", "application/fhir+json");

    assertEquals(200, ok.statusCode());
    assertFalse(plainLine(id).getMDCPropertyMap().containsKey("traceId"));
    assertEquals(404, error.statusCode());
    for (HttpResponse<String> response : List.of(ok, error)) {
      String all = response.headers().map() + response.body();
      assertFalse(all.contains(header) || all.toLowerCase().contains(TRACE_ID), all);
    }
    assertFalse(Outcomes.parse(error).hasExtension(EXTENSION), error.body());
    assertNotEquals(TRACE_ID, requestId(error), "not the transaction id either");
    for (String line : capture.lines()) {
      assertFalse(line.contains(header) || line.toLowerCase().contains(TRACE_ID), line);
    }
  }

  @Test
  void two_traceparent_headers_are_ignored() {
    server.get("/plain/ok", "X-Request-ID", "trace-twice",
        "traceparent", VALID, "traceparent", "00-" + TRACE_ID + "-1234567890123456-01");
    assertNull(plainLine("trace-twice").getMDCPropertyMap().get("traceId"));
  }

  @Test
  void the_trace_id_is_in_the_outcome_when_the_setting_asks_for_it() {
    for (String accept : List.of("application/fhir+json", "application/fhir+xml")) {
      HttpResponse<String> hapi404 =
          traced.get("/fhir/Patient/999", "traceparent", VALID, "Accept", accept);
      HttpResponse<String> refused = traced.send("TRACE", "/fhir/Patient", null,
          "traceparent", VALID, "Accept", accept);
      HttpResponse<String> serverError =
          traced.get("/plain/throw", "traceparent", VALID, "Accept", accept);
      for (HttpResponse<String> response : List.of(hapi404, refused, serverError)) {
        OperationOutcome outcome = Outcomes.parse(response);
        Extension extension = outcome.getExtensionByUrl(EXTENSION);
        assertTrue(extension != null, () -> Outcomes.describe(response));
        assertEquals(TRACE_ID, extension.getValue().primitiveValue());
      }
    }
  }

  @Test
  void the_trace_id_is_not_in_the_outcome_by_default() {
    HttpResponse<String> response = server.get("/fhir/Patient/999", "traceparent", VALID);
    assertEquals(404, response.statusCode());
    assertFalse(response.body().contains(TRACE_ID), response.body());
  }

  @Test
  void the_trace_id_is_the_transaction_id_when_no_request_id_came_and_the_setting_asks() {
    assertEquals(TRACE_ID, requestId(traced.get("/plain/ok", "traceparent", VALID)));
    assertEquals("own-id-1",
        requestId(traced.get("/plain/ok", "traceparent", VALID, "X-Request-ID", "own-id-1")));
    String generated = requestId(traced.get("/plain/ok"));
    assertTrue(generated.matches("[0-9a-f-]{36}"), generated);
  }

  @Test
  void the_trace_id_is_not_the_transaction_id_by_default() {
    assertNotEquals(TRACE_ID, requestId(server.get("/plain/ok", "traceparent", VALID)));
  }

  @Test
  void the_trace_keys_follow_the_settings() {
    try (TestServer custom = TestServer.start(Map.of(
        "fhirguard.mdc.trace-id-key", "trace_id", "fhirguard.mdc.span-id-key", "span_id"))) {
      custom.get("/plain/ok", "X-Request-ID", "trace-keys-1", "traceparent", VALID);
      Map<String, String> mdc = plainLine("trace-keys-1").getMDCPropertyMap();
      assertEquals(TRACE_ID, mdc.get("trace_id"));
      assertEquals(SPAN_ID, mdc.get("span_id"));
      assertFalse(mdc.containsKey("traceId"), mdc::toString);
    }
  }

  @Test
  void a_trace_key_equal_to_another_mdc_key_stops_start_up() {
    FhirGuardConfigException thrown = assertThrows(FhirGuardConfigException.class,
        () -> FhirGuardConfig.load(Map.of("fhirguard.mdc.span-id-key", "requestId")));
    assertTrue(thrown.getMessage().contains("fhirguard.mdc.span-id-key = 'requestId'"),
        thrown::getMessage);
    assertThrows(FhirGuardConfigException.class, () -> FhirGuardConfig.load(Map.of(
        "fhirguard.mdc.trace-id-key", "t", "fhirguard.mdc.span-id-key", "t")));
  }
}
