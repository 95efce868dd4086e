package dev.fhirguard.testing;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * A small Bulk Data 2.0 server that answers what the test tells it. Kick-offs are {@code GET} or
 * {@code POST} of a path under {@code /bulk/} ending in {@code /$export} and answer as {@link
 * #kickoff(Kickoff)} (or their {@link #ANSWER} parameter) says (by default 202 with an absolute
 * {@code Content-Location}: {@code http://127.0.0.1:<port>/fhir/$export-poll-status?_jobId=N});
 * the status URL answers {@link #status(int)} (202 by default) and a {@code DELETE} of it {@link
 * #delete(int)} (202 by default; {@link #THROWS} and {@link #THROWS_UNREACHABLE} throw instead,
 * {@link #OK_THEN_HOLD} answers 200 and holds). Error answers go through {@code sendError}, so
 * fhirguard renders them as OperationOutcomes.
 */
public final class BulkDataServlet extends HttpServlet {

  /** The exact path of the status endpoint (an exact mapping wins over HAPI's {@code /fhir/*}). */
  public static final String STATUS_PATH = "/fhir/$export-poll-status";

  /** How the next kick-offs are answered. */
  public enum Kickoff {
    /** 202 with an absolute Content-Location. */
    ACCEPT,
    /** 202 with a Content-Location relative to the server's root ({@code /fhir/...}). */
    ACCEPT_RELATIVE,
    /** 202, answered from another thread after startAsync. */
    ACCEPT_ASYNC,
    /** 202, answered and completed on the request thread after startAsync. */
    ACCEPT_ASYNC_INLINE,
    /** 202 without a Content-Location. */
    ACCEPT_WITHOUT_LOCATION,
    /**
     * 202 with an absolute Content-Location and an OperationOutcome body the application writes
     * and closes (the client has its whole answer, as HAPI JPA answers), then waits for {@link
     * #releaseHeld()} before returning.
     */
    ACCEPT_THEN_HOLD,
    /** 400 (a kick-off parameter error). */
    BAD_REQUEST,
    /** 500 through sendError. */
    SERVER_ERROR,
    /** An exception out of the servlet. */
    THROW,
    /** startAsync and never answer: the async timeout ends it. */
    ASYNC_TIMEOUT,
    /** Waits for {@link #releaseHeld()} before answering 202. */
    HOLD,
    /** 400 with an OperationOutcome the application writes itself, closing the writer. */
    REFUSE,
    /**
     * 400 written as {@link #REFUSE} (the client has its whole answer), then waits for {@link
     * #releaseHeld()} before returning.
     */
    REFUSE_THEN_HOLD,
    /** 400 through sendError (answered at once), then waits for {@link #releaseHeld()}. */
    SEND_ERROR_THEN_HOLD,
    /** Starts a 400 with a plain-text body, then changes its mind: 202 with a Content-Location. */
    REFUSE_THEN_ACCEPT,
    /**
     * Through {@link BulkDataFhirServer} only: the operation throws HAPI's 400, and the request
     * waits for {@link #releaseHeld()} once HAPI has sent it.
     */
    HAPI_REFUSE_THEN_HOLD
  }

  /** A query parameter naming the {@link Kickoff} of this one kick-off, whatever was set. */
  public static final String ANSWER = "answer";

  /** A request attribute: hold this request once HAPI has answered it. */
  private static final String HOLD_AFTER_ANSWER = BulkDataServlet.class.getName() + ".hold";

  private final AtomicInteger jobs = new AtomicInteger();
  private final AtomicInteger kickoffs = new AtomicInteger();
  private final AtomicInteger statusRequests = new AtomicInteger();
  private volatile Kickoff kickoff = Kickoff.ACCEPT;
  private volatile int status = 202;
  private volatile int delete = 202;
  private volatile String kickoffRetryAfter;
  private volatile String statusRetryAfter = "2";
  private volatile CountDownLatch held = new CountDownLatch(1);
  private volatile CountDownLatch arrived = new CountDownLatch(1);

  /** Maps this servlet at {@code /bulk/*} and {@link #STATUS_PATH} of {@code context}. */
  public void mapAt(ServletContextHandler context) {
    ServletHolder holder = new ServletHolder("bulk", this);
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/bulk/*");
    context.addServlet(holder, STATUS_PATH);
  }

  public void kickoff(Kickoff answer) {
    this.kickoff = answer;
  }

  public void status(int answer) {
    this.status = answer;
  }

  public void delete(int answer) {
    this.delete = answer;
  }

  /** The {@code Retry-After} of a kick-off's 202 ({@code null}, the default: none). */
  public void kickoffRetryAfter(String value) {
    this.kickoffRetryAfter = value;
  }

  /** The {@code Retry-After} of the status URL's 202 ({@code "2"} by default; null: none). */
  public void statusRetryAfter(String value) {
    this.statusRetryAfter = value;
  }

  /** The status path and query of job {@code n} (1 for the first job started). */
  public static String statusUrl(int n) {
    return STATUS_PATH + "?_jobId=" + n;
  }

  /** Kick-offs that reached the servlet. */
  public int kickoffs() {
    return kickoffs.get();
  }

  /** Status polls and cancels that reached the servlet. */
  public int statusRequests() {
    return statusRequests.get();
  }

  /** Waits until a {@link Kickoff#HOLD} kick-off is inside the servlet. */
  public void awaitHeld() throws InterruptedException {
    if (!arrived.await(20, TimeUnit.SECONDS)) {
      throw new AssertionError("no kick-off arrived");
    }
  }

  /** Lets held kick-offs answer. */
  public void releaseHeld() {
    held.countDown();
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (STATUS_PATH.equals(request.getServletPath())) {
      statusRequests.incrementAndGet();
      answer(response, "DELETE".equals(request.getMethod()) ? delete : status);
    } else if (request.getPathInfo() != null && request.getPathInfo().endsWith("/$export")) {
      kickoffs.incrementAndGet();
      kickoff(request, response);
    } else {
      response.sendError(404);
    }
  }

  private void kickoff(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String asked = request.getParameter(ANSWER);
    switch (asked == null ? kickoff : Kickoff.valueOf(asked)) {
      case ACCEPT -> accept(request, response, true);
      case ACCEPT_RELATIVE -> accept(request, response, false);
      case ACCEPT_WITHOUT_LOCATION -> response.setStatus(202);
      case ACCEPT_THEN_HOLD -> {
        accept(request, response, true);
        response.setContentType("application/fhir+json");
        PrintWriter writer = response.getWriter();
        writer.write("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":"
            + "\"information\",\"code\":\"informational\",\"diagnostics\":\"accepted\"}]}");
        writer.close();
        holdAfterAnswer();
      }
      case BAD_REQUEST -> response.sendError(400, "_type: unknown resource type Foo");
      case SERVER_ERROR -> response.sendError(500);
      case THROW -> throw new IllegalStateException("export queue is down");
      case ACCEPT_ASYNC -> {
        AsyncContext async = request.startAsync();
        new Thread(() -> {
          accept(request, (HttpServletResponse) async.getResponse(), true);
          async.complete();
        }).start();
      }
      case ACCEPT_ASYNC_INLINE -> {
        AsyncContext async = request.startAsync();
        accept(request, response, true);
        async.complete();
      }
      case ASYNC_TIMEOUT -> request.startAsync().setTimeout(200);
      case HOLD -> {
        arrived.countDown();
        try {
          if (!held.await(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        accept(request, response, true);
      }
      case REFUSE_THEN_HOLD -> {
        refuse(response);
        holdAfterAnswer();
      }
      case SEND_ERROR_THEN_HOLD -> {
        response.sendError(400, "_type: unknown resource type Foo");
        holdAfterAnswer();
      }
      case REFUSE -> refuse(response);
      case REFUSE_THEN_ACCEPT -> {
        response.setStatus(400);
        response.setContentType("text/plain");
        response.getWriter().write("queued after all");
        accept(request, response, true);
      }
      case HAPI_REFUSE_THEN_HOLD -> response.sendError(404);
    }
  }

  private static void refuse(HttpServletResponse response) throws IOException {
    response.setStatus(400);
    response.setContentType("application/fhir+json");
    PrintWriter writer = response.getWriter();
    writer.write("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
        + "\"code\":\"invalid\",\"diagnostics\":\"_type: unknown resource type Foo\"}]}");
    writer.close();
  }

  /** Tells {@link #awaitHeld()} this request is inside, then waits for {@link #releaseHeld()}. */
  private void holdAfterAnswer() {
    arrived.countDown();
    try {
      if (!held.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Holds a request HAPI has answered, when {@link #startJob} refused it to hold it. */
  void holdIfAnsweredByHapi(HttpServletRequest request) {
    if (request.getAttribute(HOLD_AFTER_ANSWER) != null) {
      holdAfterAnswer();
    }
  }

  /** Starts a job: 202 with the absolute status URL of the next job number. */
  void startJob(HttpServletRequest request, HttpServletResponse response) {
    kickoffs.incrementAndGet();
    if (kickoff == Kickoff.HAPI_REFUSE_THEN_HOLD) {
      request.setAttribute(HOLD_AFTER_ANSWER, Boolean.TRUE);
      throw new InvalidRequestException("_type: unknown resource type Foo");
    }
    accept(request, response, true);
  }

  private void accept(HttpServletRequest request, HttpServletResponse response, boolean absolute) {
    int job = jobs.incrementAndGet();
    response.setStatus(202);
    if (kickoffRetryAfter != null) {
      response.setHeader("Retry-After", kickoffRetryAfter);
    }
    response.setHeader("Content-Location", absolute
        ? "http://127.0.0.1:" + request.getLocalPort() + statusUrl(job)
        : statusUrl(job));
  }

  /** The status to set for an exception out of the servlet instead of an answer. */
  public static final int THROWS = -1;

  /** The status to set for a refused connection to a backend, out of the servlet. */
  public static final int THROWS_UNREACHABLE = -2;

  /**
   * The status to set for 200 with a body the application writes and closes (the client has its
   * whole answer), after which the request waits for {@link #releaseHeld()}.
   */
  public static final int OK_THEN_HOLD = -3;

  private void answer(HttpServletResponse response, int status) throws IOException {
    switch (status) {
      case OK_THEN_HOLD -> {
        answer(response, 200);
        response.getWriter().close();
        holdAfterAnswer();
      }
      case THROWS -> throw new IllegalStateException("export job store is corrupt");
      case THROWS_UNREACHABLE -> throw new IllegalStateException("job store unreachable",
          new java.net.ConnectException("Connection refused"));
      case 202 -> {
        response.setStatus(202);
        response.setHeader("X-Progress", "50%");
        if (statusRetryAfter != null) {
          response.setHeader("Retry-After", statusRetryAfter);
        }
      }
      case 200 -> {
        response.setStatus(200);
        response.setContentType("application/json");
        response.getWriter().write("{\"transactionTime\":\"2026-01-01T00:00:00Z\","
            + "\"request\":\"/bulk/$export\",\"requiresAccessToken\":true,"
            + "\"output\":[],\"error\":[]}");
      }
      default -> response.sendError(status);
    }
  }
}
