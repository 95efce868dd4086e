package dev.fhirguard.feature.boundary;

import static dev.fhirguard.testing.Outcomes.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.testing.TestServer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An application that starts async processing again in its ASYNC dispatch begins a new async
 * cycle, for which the container forgets every listener. fhirguard's own listener must follow the
 * new cycle: the error boundary still answers its timeout, and the application's listeners that
 * register again hear its end (and so do the stages that free a slot when a request ends).
 */
class AsyncRestartTest {

  private static final AtomicInteger completions = new AtomicInteger();
  private static final CountDownLatch completed = new CountDownLatch(1);
  private static TestServer server;

  @BeforeAll
  static void start() {
    FhirGuard guard = FhirGuard.create(FhirGuardConfig.load(Map.of()));
    server = TestServer.with(guard).asyncServlet("/restart/*", new RestartingServlet()).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void a_restarted_async_cycle_that_times_out_is_answered_with_an_operation_outcome() {
    HttpResponse<String> response = server.get("/restart/timeout");

    assertError(response, 503, "SERVICE_UNAVAILABLE");
  }

  @Test
  void an_application_listener_that_registers_again_hears_the_end_of_the_new_cycle_once()
      throws InterruptedException {
    HttpResponse<String> response = server.get("/restart/listener");

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(completed.await(20, TimeUnit.SECONDS), "onComplete never came");
    assertEquals(1, completions.get());
  }

  /** Starts async, dispatches, starts async again in the ASYNC dispatch. */
  private static final class RestartingServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
      boolean timeout = "/timeout".equals(request.getPathInfo());
      if (request.getDispatcherType() != DispatcherType.ASYNC) {
        AsyncContext first = request.startAsync();
        if (!timeout) {
          first.addListener(new CountingListener());
        }
        first.dispatch();
        return;
      }
      AsyncContext second = request.startAsync();
      if (timeout) {
        second.setTimeout(200);
        return;
      }
      second.start(() -> {
        try {
          second.getResponse().setContentType("text/plain");
          second.getResponse().getWriter().write("done");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        } finally {
          second.complete();
        }
      });
    }
  }

  /** Registers itself again on a new cycle, as the Servlet specification asks listeners to. */
  private static final class CountingListener implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      completions.incrementAndGet();
      completed.countDown();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}
  }
}
