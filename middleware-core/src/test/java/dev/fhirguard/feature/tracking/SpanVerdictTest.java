package dev.fhirguard.feature.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.jetty.FhirGuardJetty;
import dev.fhirguard.testing.LoopbackServer;
import dev.fhirguard.testing.OuterFilters;
import dev.fhirguard.testing.PlainServlet;
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
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * fhirguard's verdict on the request's server span, over real HTTP with the real OpenTelemetry SDK:
 * a filter in front of fhirguard plays the instrumentation that opens the server span.
 */
class SpanVerdictTest {

  private static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();
  private static final SdkTracerProvider PROVIDER = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(EXPORTER)).build();
  private static LoopbackServer app;

  /** Opens a server span around the request, as OpenTelemetry's servlet instrumentation does. */
  static final class ServerSpanFilter implements Filter {
    private final Tracer tracer = PROVIDER.get("test");

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      HttpServletRequest http = (HttpServletRequest) request;
      Span span = tracer.spanBuilder(http.getMethod() + " " + http.getRequestURI())
          .setSpanKind(SpanKind.SERVER).startSpan();
      try (Scope scope = span.makeCurrent()) {
        chain.doFilter(request, response);
      } finally {
        span.end();
      }
    }
  }

  @BeforeAll
  static void start() {
    app = LoopbackServer.start(jetty -> {
      ServletContextHandler context = new ServletContextHandler("/");
      context.addServlet(new ServletHolder("plain", new PlainServlet()), "/plain/*");
      FhirGuardJetty.install(jetty, context, FhirGuard.create(FhirGuardConfig.load(Map.of())));
      OuterFilters.prepend(context, "spans", new ServerSpanFilter());
      return context;
    });
  }

  @AfterAll
  static void stop() {
    app.close();
    PROVIDER.close();
  }

  @BeforeEach
  void reset() {
    EXPORTER.reset();
  }

  /** The server span of the one request sent, once it ended (after the response, maybe). */
  private static SpanData serverSpan() {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (EXPORTER.getFinishedSpanItems().isEmpty()) {
      if (System.nanoTime() > deadline) {
        fail("the server span did not end");
      }
      Thread.onSpinWait(); // waiting for the span, not a timing assertion
    }
    List<SpanData> spans = EXPORTER.getFinishedSpanItems();
    assertEquals(1, spans.size(), spans::toString);
    return spans.get(0);
  }

  @Test
  void a_server_error_marks_the_server_span_as_an_error_of_its_catalog_code() {
    HttpResponse<String> response = app.get("/plain/throw");
    assertEquals(500, response.statusCode());
    SpanData span = serverSpan();
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals(ErrorCode.INTERNAL_ERROR.code(),
        span.getAttributes().get(AttributeKey.stringKey("error.type")));
  }

  @Test
  void a_client_error_leaves_the_server_span_status_unset_and_names_the_code() {
    HttpResponse<String> response = app.send("TRACE", "/plain/ok", null);
    assertEquals(405, response.statusCode());
    SpanData span = serverSpan();
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    assertNull(span.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals(ErrorCode.METHOD_NOT_ALLOWED.code(),
        span.getAttributes().get(AttributeKey.stringKey("fhirguard.code")));
  }

  @Test
  void a_success_leaves_the_server_span_alone() {
    assertEquals(200, app.get("/plain/ok").statusCode());
    SpanData span = serverSpan();
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    assertNull(span.getAttributes().get(AttributeKey.stringKey("fhirguard.code")));
  }
}
