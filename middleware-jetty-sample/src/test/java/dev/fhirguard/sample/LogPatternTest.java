package dev.fhirguard.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The sample's console pattern (its logback.xml) shows the trace id next to the transaction id. */
class LogPatternTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  private static SampleServer server;
  private static final Logger ROOT = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private static final ListAppender<ILoggingEvent> CAPTURE = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    CAPTURE.start();
    ROOT.addAppender(CAPTURE);
    server = SampleServer.start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    ROOT.detachAppender(CAPTURE);
    if (server != null) {
      server.stop();
    }
  }

  /** The layout of the console appender the sample's logback.xml configures. */
  @SuppressWarnings("unchecked")
  private static Layout<ILoggingEvent> consoleLayout() {
    OutputStreamAppender<ILoggingEvent> console =
        (OutputStreamAppender<ILoggingEvent>) ROOT.getAppender("CONSOLE");
    return ((LayoutWrappingEncoder<ILoggingEvent>) console.getEncoder()).getLayout();
  }

  /** fhirguard's line for the request {@code requestId}, formatted by the console pattern. */
  private static String consoleLine(String requestId) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) { // the refusal is logged after the answer: wait for it
      List<ILoggingEvent> events;
      synchronized (CAPTURE.list) {
        events = List.copyOf(CAPTURE.list);
      }
      for (ILoggingEvent event : events) {
        if (requestId.equals(event.getMDCPropertyMap().get("requestId"))) {
          return consoleLayout().doLayout(event);
        }
      }
      Thread.onSpinWait();
    }
    return fail("no log line for " + requestId);
  }

  private static int get(String requestId, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/fhir/Patient/1"))
        .header("X-Request-ID", requestId);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void the_console_line_shows_the_trace_id_next_to_the_transaction_id() throws Exception {
    assertEquals(401, get("pattern-traced", "traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01"));
    String line = consoleLine("pattern-traced");
    assertTrue(line.contains("[pattern-traced trace=" + TRACE_ID + "]"), line);
  }

  @Test
  void without_a_traceparent_the_console_line_shows_the_transaction_id_alone() throws Exception {
    assertEquals(401, get("pattern-plain"));
    String line = consoleLine("pattern-plain");
    assertTrue(line.contains("[pattern-plain]"), line);
  }
}
