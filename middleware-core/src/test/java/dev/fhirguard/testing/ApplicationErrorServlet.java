package dev.fhirguard.testing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application misbehaviours fhirguard must answer for, at {@code /<behaviour>/<status>}:
 * async error responses, 5xx bodies that claim to be FHIR, long gateway bodies, {@code reset()},
 * malformed form bodies, redirects and status changes. {@link Fhir} is a HAPI server with
 * manual-response operations that fail half-way, and {@link UpstreamTimeoutTranslator} an
 * application interceptor that translates its own exception. {@link Completions} logs the end of
 * every request, so a test can wait until everything a request logs has been logged.
 */
public final class ApplicationErrorServlet extends MisbehavingServlet {

  /** A secret that must never reach a client. */
  public static final String SECRET_SQL = PlainServlet.SECRET_SQL;
  /** An internal host and port, as a 4xx message. */
  public static final String INTERNAL_HOST_MESSAGE = "Connection to db-prod-01.internal:5432 refused";
  /** An exception message that would forge a log line if logged as is. */
  public static final String CRLF_MESSAGE = "line1\r\nFAKE ERROR line";
  /** What {@code async-log} logs from inside {@code AsyncContext.start}. */
  public static final String ASYNC_LINE = "async work running";
  /** A 4xx FHIR outcome written by the application. */
  public static final String CLIENT_OUTCOME =
      "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
          + "\"code\":\"business-rule\",\"diagnostics\":\"Patient.birthDate must not be in the future\"}]}";
  /** A 5xx outcome written by the application, with SQL in its diagnostics. */
  public static final String SERVER_OUTCOME =
      "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
          + "\"code\":\"exception\",\"diagnostics\":\"" + SECRET_SQL + "\"}]}";
  /** What {@code $partial} writes before it fails. */
  public static final String PARTIAL_BUNDLE = "{\"resourceType\":\"Bundle\",\"entry\":[";

  private static final Logger LOG = LoggerFactory.getLogger(ApplicationErrorServlet.class);

  public ApplicationErrorServlet() {
    super(500);
  }

  @Override
  void service(String behaviour, int status, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    switch (behaviour) {
      // ---- async
      case "async-html" -> { // startAsync(request, response), error page written in start()
        AsyncContext async = request.startAsync(request, response);
        async.start(() -> {
          write(async, status, "text/html", "<html><title>boom</title>" + SECRET_SQL + "</html>");
          async.complete();
        });
      }
      case "async-noargs-html" -> { // startAsync() without arguments
        AsyncContext async = request.startAsync();
        async.start(() -> {
          write(async, status, "text/html", "<html>" + SECRET_SQL + "</html>");
          async.complete();
        });
      }
      case "async-status" -> {
        AsyncContext async = request.startAsync(request, response);
        async.start(() -> {
          ((HttpServletResponse) async.getResponse()).setStatus(status);
          async.complete();
        });
      }
      case "async-log" -> {
        AsyncContext async = request.startAsync();
        async.start(() -> {
          LOG.info(ASYNC_LINE);
          write(async, 200, "text/plain", "done");
          async.complete();
        });
      }
      case "async-dispatch" -> request.startAsync().dispatch("/r/status/" + status);
      case "async-dispatch-wrapped" ->
          request.startAsync(request, response).dispatch("/r/status/" + status);
      case "status" -> response.setStatus(status);
      // ---- bodies
      case "fhir-oo" -> write(response, status, "application/fhir+json",
          status >= 500 ? SERVER_OUTCOME : CLIENT_OUTCOME);
      case "json-oo" -> write(response, status, "application/json",
          status >= 500 ? SERVER_OUTCOME : CLIENT_OUTCOME);
      case "long-json" -> write(response, status, "application/json",
          "{\"message\":\"" + "x".repeat(Integer.parseInt(request.getParameter("length"))) + "\"}");
      case "send-error-internal-host" -> response.sendError(status, INTERNAL_HOST_MESSAGE);
      case "throw-crlf" -> throw new IllegalStateException(CRLF_MESSAGE);
      // ---- reset(), forms
      case "stream-reset-writer" -> {
        response.setContentType("application/octet-stream");
        response.getOutputStream().write(new byte[] {1, 2, 3});
        response.reset();
        response.setContentType("text/plain");
        response.getWriter().write(request.getParameter("text"));
      }
      case "form" -> {
        String a = request.getParameter("a");
        response.setContentType("text/plain");
        response.getWriter().write("a=" + a);
      }
      // ---- status edge cases
      case "error-status-then-ok" -> {
        response.setStatus(500);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(request.getParameter("first"));
        response.setStatus(200);
        response.getWriter().write(request.getParameter("second"));
      }
      case "redirect-after-status" -> {
        response.setStatus(status);
        response.sendRedirect("/x");
      }
      case "send-error" -> response.sendError(status);
      default -> response.sendError(404);
    }
  }

  private static void write(AsyncContext async, int status, String type, String body) {
    try {
      write((HttpServletResponse) async.getResponse(), status, type, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Logs {@code completed <METHOD> <request URI>} once a request is done with its context. */
  public static final class Completions implements ServletRequestListener {
    @Override
    public void requestDestroyed(ServletRequestEvent event) {
      HttpServletRequest request = (HttpServletRequest) event.getServletRequest();
      LOG.info("completed {} {}", request.getMethod(), request.getRequestURI());
    }
  }

  /** An application's own exception, which {@link UpstreamTimeoutTranslator} turns into a 504. */
  public static final class UpstreamTimeout extends RuntimeException {
    public UpstreamTimeout(String message) {
      super(message);
    }
  }

  /**
   * An application interceptor translating {@link UpstreamTimeout} into HAPI's 504. HAPI hands
   * the hook a provider's own exception wrapped in its {@code InternalErrorException} (HAPI-0389),
   * so the translator looks through the causes, as real ones do.
   */
  @Interceptor
  public static final class UpstreamTimeoutTranslator {
    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException translate(Throwable error) {
      for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof UpstreamTimeout) {
          return BaseServerResponseException.newInstance(504, "terminology server did not answer");
        }
      }
      return null;
    }
  }

  /** A HAPI R4 server with server-level operations that fail in the middle of a response. */
  public static final class Fhir extends RestfulServer {

    public Fhir() {
      super(FhirContext.forR4Cached());
      registerProvider(new Operations());
    }
  }

  /** {@code $partial}, {@code $stream-then-400}, {@code $upstream-timeout}, {@code $crlf}. */
  public static final class Operations {

    /** Writes and flushes half a Bundle, then fails: the response is committed. */
    @Operation(name = "$partial", manualResponse = true, idempotent = true)
    public void partial(HttpServletResponse response) throws IOException {
      response.setContentType("application/fhir+json");
      response.getWriter().write(PARTIAL_BUNDLE);
      response.flushBuffer();
      throw new InternalErrorException("db down: " + SECRET_SQL);
    }

    /** Takes the output stream and writes (uncommitted), then fails with a client error. */
    @Operation(name = "$stream-then-400", manualResponse = true, idempotent = true)
    public void streamThen400(HttpServletResponse response) throws IOException {
      response.setContentType("application/octet-stream");
      response.getOutputStream().write("partial binary".getBytes(StandardCharsets.UTF_8));
      throw new InvalidRequestException("Range header is not valid");
    }

    @Operation(name = "$upstream-timeout", manualResponse = true, idempotent = true)
    public void upstreamTimeout(HttpServletResponse response) {
      throw new UpstreamTimeout("tx.example.org did not answer within 30 s");
    }

    @Operation(name = "$crlf", manualResponse = true, idempotent = true)
    public void crlf(HttpServletResponse response) {
      throw new IllegalStateException(CRLF_MESSAGE);
    }
  }
}
