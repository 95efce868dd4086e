package dev.fhirguard.feature.upstream;

import static dev.fhirguard.GuardHooks.withClock;
import static dev.fhirguard.testing.Outcomes.assertError;
import static dev.fhirguard.testing.UpstreamBodies.assertNothingLeaks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.Upstream;
import dev.fhirguard.UpstreamException;
import dev.fhirguard.testing.TestClock;
import dev.fhirguard.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Upstream failures at the edges of their classification, over real HTTP, through the HAPI
 * interceptor ({@code /fhir/Observation/<trigger>}) and the filter ({@code /plain/<trigger>}).
 */
class UpstreamClassificationTest {

  static final String HOST_TEXT = "Connection refused: db-7.ehr.internal/10.1.2.3:5432";

  private final TestClock clock = new TestClock();
  private FhirGuard guard;
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start() {
    start(FhirGuard.builder());
  }

  private void start(FhirGuard.Builder builder) {
    guard = withClock(builder.config(FhirGuardConfig.load(Map.of(
        "fhirguard.upstreams.records.display-name", "patient record service",
        "fhirguard.upstreams.records.sliding-window-size", "2",
        "fhirguard.upstreams.records.minimum-number-of-calls", "2",
        "fhirguard.upstreams.records.failure-rate-threshold", "50",
        "fhirguard.upstreams.records.wait-duration-in-open-state", "30s",
        "fhirguard.upstreams.records.permitted-number-of-calls-in-half-open-state", "1"))), clock)
        .build();
    server = TestServer.builder().guard(guard).servlet("/fhir/*", new Fhir(guard))
        .servlet("/plain/*", new Plain(guard)).start();
  }

  /** What each trigger does; the HAPI provider and the plain servlet share them. */
  static String run(FhirGuard guard, String trigger) throws Exception {
    Upstream records = guard.upstream("records");
    switch (trigger) {
      case "ok":
        return records.call(() -> "{\"ok\":true}");
      case "bad":
        return records.call(() -> {
          throw new UpstreamException("records", 502);
        });
      case "deliberate-404": {
        // The application looked for the record in a fallback store and answered 404 on purpose;
        // the refused connection to the primary is only the cause kept for the log.
        ResourceNotFoundException notFound =
            new ResourceNotFoundException("Observation/deliberate-404 is not known");
        notFound.initCause(new ConnectException(HOST_TEXT));
        throw notFound;
      }
      case "future":
        // An async client: the future failed with the application's own UpstreamException.
        return records.call(() -> {
          throw new ExecutionException(
              new UpstreamException("records", 503, Duration.ofSeconds(7), null));
        });
      case "untimed-503":
        return records.call(() -> {
          throw new UpstreamException("records", 503);
        });
      case "nameless-503":
        throw new UpstreamException("ehr", 503, Duration.ofSeconds(45), null); // no display name
      case "huge-retry-after":
        return records.call(() -> {
          throw new UpstreamException("records", 503, Duration.ofSeconds(Long.MAX_VALUE), null);
        });
      case "crlf":
        return records.call(() -> {
          throw new UpstreamException("records", 502, null,
              new IOException("backend answered 500: oops\r\nERROR forged line\nWARN forged too"));
        });
      case "crlf-unmapped":
        throw new IllegalStateException("oops\r\nERROR forged line");
      case "ehr-refused":
        throw new EhrRefusedException();
      case "cycle": {
        IllegalStateException outer = new IllegalStateException("outer");
        IOException inner = new IOException("inner", outer);
        outer.initCause(inner);
        throw outer;
      }
      default:
        throw new IllegalArgumentException(trigger);
    }
  }

  /** An EHR client's exception whose message names a node, a tenant and an action. */
  static final class EhrRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EhrRefusedException() {
      super("node ehr7 refused GetAllergy for tenant acme");
    }
  }

  /** The filter path. */
  static final class Plain extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient FhirGuard guard;

    Plain(FhirGuard guard) {
      this.guard = guard;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String body;
      try {
        body = run(guard, request.getPathInfo().substring(1));
      } catch (RuntimeException | IOException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
      response.setContentType("application/json");
      response.getWriter().write(body);
    }
  }

  /** The interceptor path. */
  static final class Fhir extends RestfulServer {
    private static final long serialVersionUID = 1L;

    Fhir(FhirGuard guard) {
      super(FhirContext.forR4Cached());
      setResourceProviders(List.of(new Provider(guard)));
      registerInterceptor(guard.interceptor());
    }
  }

  public static final class Provider implements IResourceProvider {
    private final FhirGuard guard;

    Provider(FhirGuard guard) {
      this.guard = guard;
    }

    @Override
    public Class<Observation> getResourceType() {
      return Observation.class;
    }

    @Read
    public Observation read(@IdParam IdType id) throws Exception {
      run(guard, id.getIdPart());
      Observation observation = new Observation();
      observation.setId(id.getIdPart());
      return observation;
    }
  }

  private HttpResponse<String> get(String base, String trigger) {
    return server.get(base + trigger);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/Observation/", "/plain/"})
  void an_upstream_503_tells_the_seconds_of_its_retry_after_in_the_text(String base) {
    start();
    HttpResponse<String> response = get(base, "future");

    assertEquals("7", response.headers().firstValue("Retry-After").orElse(null));
    assertEquals("The patient record service is temporarily unavailable. Please retry after 7"
        + " seconds.", textBeforeTransactionId(assertError(response, 503, "UPSTREAM_UNAVAILABLE")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/Observation/", "/plain/"})
  void an_upstream_503_without_retry_after_says_it_gave_no_time(String base) {
    start();
    HttpResponse<String> response = get(base, "untimed-503");

    assertTrue(response.headers().firstValue("Retry-After").isEmpty());
    assertEquals("The patient record service is temporarily unavailable. It did not say for how"
        + " long: retry later.",
        textBeforeTransactionId(assertError(response, 503, "UPSTREAM_UNAVAILABLE")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/Observation/", "/plain/"})
  void an_upstream_without_a_display_name_still_tells_the_seconds(String base) {
    start();
    HttpResponse<String> response = get(base, "nameless-503");

    assertEquals("45", response.headers().firstValue("Retry-After").orElse(null));
    assertEquals("An upstream service is temporarily unavailable. Please retry after 45 seconds.",
        textBeforeTransactionId(assertError(response, 503, "UPSTREAM_UNAVAILABLE")));
  }

  private static String textBeforeTransactionId(OperationOutcome outcome) {
    String diagnostics = outcome.getIssueFirstRep().getDiagnostics();
    int id = diagnostics.indexOf(" Transaction id: ");
    assertTrue(id > 0, diagnostics);
    return diagnostics.substring(0, id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/Observation/", "/plain/"})
  void a_hapi_404_the_application_chose_stays_a_404_even_with_a_refused_connection_as_its_cause(
      String base) {
    start();
    HttpResponse<String> response = get(base, "deliberate-404");
    assertError(response, 404, "RESOURCE_NOT_FOUND");
    assertNothingLeaks(response, server.port());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/Observation/", "/plain/"})
  void an_upstream_exception_inside_a_checked_wrapper_keeps_its_status_and_retry_after(
      String base) {
    start();
    HttpResponse<String> response = get(base, "future");
    assertError(response, 503, "UPSTREAM_UNAVAILABLE");
    assertEquals("7", response.headers().firstValue("Retry-After").orElse(null));
    assertNothingLeaks(response, server.port());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/Observation/", "/plain/"})
  void an_absurdly_long_retry_after_from_the_upstream_is_still_a_503_with_a_number(String base) {
    start();
    HttpResponse<String> response = get(base, "huge-retry-after");
    assertError(response, 503, "UPSTREAM_UNAVAILABLE");
    String retryAfter = response.headers().firstValue("Retry-After").orElse("");
    assertTrue(retryAfter.matches("[1-9][0-9]{0,18}"), "Retry-After: " + retryAfter);
    assertNothingLeaks(response, server.port());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/Observation/", "/plain/"})
  void a_probe_whose_retry_after_overflows_does_not_leave_the_circuit_stuck_half_open(
      String base) {
    start();
    assertEquals(502, get(base, "bad").statusCode());
    assertEquals(502, get(base, "bad").statusCode());
    assertEquals("OPEN", guard.upstream("records").circuitState());
    clock.advance(Duration.ofSeconds(31));

    get(base, "huge-retry-after"); // the one probe of the half-open state
    clock.advance(Duration.ofSeconds(31));

    assertEquals(200, get(base, "ok").statusCode(), "the circuit never let a call through again");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/Observation/", "/plain/"})
  void at_the_very_end_of_the_open_state_retry_after_is_one_second_not_a_full_wait(String base) {
    start();
    assertEquals(502, get(base, "bad").statusCode());
    assertEquals(502, get(base, "bad").statusCode());
    assertEquals("30", get(base, "ok").headers().firstValue("Retry-After").orElse(null));

    clock.advance(Duration.ofSeconds(29));
    assertEquals("1", get(base, "ok").headers().firstValue("Retry-After").orElse(null));
    clock.advance(Duration.ofSeconds(1)); // exactly the end of the wait: still open
    HttpResponse<String> response = get(base, "ok");

    assertError(response, 503, "CIRCUIT_OPEN");
    assertEquals("1", response.headers().firstValue("Retry-After").orElse(null),
        "0 s are left until the next probe");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/Observation/", "/plain/"})
  void an_exception_whose_causes_form_a_cycle_is_answered_instead_of_spinning_forever(
      String base) {
    start();
    HttpResponse<String> response = get(base, "cycle"); // the client gives up after 20 s
    assertError(response, 500, "INTERNAL_ERROR");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/Observation/", "/plain/"})
  void an_exception_mapped_to_a_client_error_code_never_shows_its_own_text(String base) {
    FhirGuard.Builder builder;
    try {
      builder = FhirGuard.builder().upstreamFailure(EhrRefusedException.class, ErrorCode.CONFLICT);
    } catch (IllegalArgumentException refused) {
      return; // refused when the guard is built: nothing can show
    }
    start(builder);
    HttpResponse<String> response = get(base, "ehr-refused");
    assertEquals(409, response.statusCode(), response.body());
    assertNothingLeaks(response, server.port());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/Observation/crlf", "/plain/crlf", "/fhir/Observation/crlf-unmapped",
      "/plain/crlf-unmapped"})
  void no_log_line_carries_a_line_break_from_an_upstream_s_text(String path) {
    start();
    try (dev.fhirguard.testing.LogCapture logs = new dev.fhirguard.testing.LogCapture()) {
      server.get(path);
      for (ch.qos.logback.classic.spi.ILoggingEvent event : logs.events()) {
        String line = dev.fhirguard.testing.LogCapture.render(event);
        assertTrue(!line.contains("\nERROR forged") && !line.contains("\nWARN forged"),
            () -> event.getLoggerName() + ": " + line);
      }
    }
  }
}
