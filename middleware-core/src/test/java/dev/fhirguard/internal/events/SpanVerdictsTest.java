package dev.fhirguard.internal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.ErrorCode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The verdict on the current span, recorded through the real OpenTelemetry SDK. */
class SpanVerdictsTest {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final Tracer tracer = provider.get("test");
  /** Found on the classpath, as a guard finds it. */
  private final GuardEvents events = GuardEvents.of(List.of());

  @AfterEach
  void close() {
    provider.close();
  }

  /** The server span that was current while {@code events} heard of the outcome. */
  private SpanData serverSpanOf(int status, ErrorCode code) {
    Span span = tracer.spanBuilder("GET /fhir/Patient").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope scope = span.makeCurrent()) {
      events.outcome(status, code, "client-1", "application");
    } finally {
      span.end();
    }
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(1, spans.size());
    return spans.get(0);
  }

  @Test
  void a_guard_finds_the_listener_when_opentelemetry_is_on_the_classpath() {
    assertTrue(events.any());
  }

  @Test
  void without_opentelemetry_on_the_classpath_a_guard_has_no_listener_and_nothing_breaks()
      throws Exception {
    URL core = GuardEvents.class.getProtectionDomain().getCodeSource().getLocation();
    URL slf4j = LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader withoutOpenTelemetry =
        new URLClassLoader(new URL[] {core, slf4j}, ClassLoader.getPlatformClassLoader())) {
      Class<?> type = withoutOpenTelemetry.loadClass(GuardEvents.class.getName());
      Object none = type.getMethod("of", List.class).invoke(null, List.of());
      assertEquals(false, type.getMethod("any").invoke(none));
      type.getMethod("outcome", int.class, withoutOpenTelemetry.loadClass(ErrorCode.class.getName()),
          String.class, String.class).invoke(none, 500, null, null, "application");
    }
  }

  @Test
  void a_server_error_sets_the_span_status_to_error_and_error_type_to_the_catalog_code() {
    SpanData span = serverSpanOf(503, ErrorCode.CIRCUIT_OPEN);
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals(ErrorCode.CIRCUIT_OPEN.code(),
        span.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals(ErrorCode.CIRCUIT_OPEN.code(),
        span.getAttributes().get(AttributeKey.stringKey("fhirguard.code")));
  }

  @Test
  void a_client_error_leaves_the_span_status_unset_and_names_the_code() {
    SpanData span = serverSpanOf(429, ErrorCode.RATE_LIMITED);
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    assertNull(span.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals(ErrorCode.RATE_LIMITED.code(),
        span.getAttributes().get(AttributeKey.stringKey("fhirguard.code")));
  }

  @Test
  void without_a_current_span_nothing_happens() {
    events.outcome(500, ErrorCode.INTERNAL_ERROR, null, "application");
    assertEquals(List.of(), exporter.getFinishedSpanItems());
  }

  @Test
  void a_span_that_is_not_sampled_is_left_alone() {
    try (SdkTracerProvider off = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff())
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
      Span span = off.get("test").spanBuilder("GET").startSpan();
      try (Scope scope = span.makeCurrent()) {
        events.outcome(500, ErrorCode.INTERNAL_ERROR, null, "application");
      }
      span.end();
    }
    assertEquals(List.of(), exporter.getFinishedSpanItems());
  }
}
