package dev.fhirguard.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * Holds requests inside the application until the test lets them go, so a test knows exactly how
 * many are in progress. {@code /hold} holds the request thread; {@code /hold/async} starts async
 * processing and holds a worker; {@code /hold/restart} starts async, dispatches, starts async again
 * in the ASYNC dispatch, then holds a worker. Each answers 200 "released" (written without a
 * Content-Length, so it leaves only when the request is finished).
 */
public final class HoldingServlet extends HttpServlet {

  private volatile CountDownLatch entered = new CountDownLatch(0);
  private volatile CountDownLatch gate = new CountDownLatch(0);

  /** Maps a new holding servlet (async supported) at {@code path}, e.g. {@code /hold/*}. */
  public static HoldingServlet mapAt(ServletContextHandler context, String path) {
    HoldingServlet servlet = new HoldingServlet();
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(true);
    context.addServlet(holder, path);
    return servlet;
  }

  /** Makes the next {@code count} requests wait inside until {@link #letGo()}. */
  public void hold(int count) {
    gate = new CountDownLatch(1);
    entered = new CountDownLatch(count);
  }

  /** Waits (bounded) until the held requests are all inside the application. */
  public void awaitEntered() {
    try {
      assertTrue(entered.await(20, TimeUnit.SECONDS),
          () -> entered.getCount() + " held requests never reached the application");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Lets every held request finish. */
  public void letGo() {
    gate.countDown();
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    CountDownLatch held = gate;
    switch (path) {
      case "/async" -> holdAsync(request.startAsync(), held);
      case "/restart" -> {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
          holdAsync(request.startAsync(), held);
        } else {
          request.startAsync().dispatch();
        }
      }
      default -> {
        entered.countDown();
        await(held);
        answer(response);
      }
    }
  }

  private void holdAsync(AsyncContext async, CountDownLatch held) {
    entered.countDown();
    async.start(() -> {
      await(held);
      try {
        answer((HttpServletResponse) async.getResponse());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } finally {
        async.complete();
      }
    });
  }

  private static void answer(HttpServletResponse response) throws IOException {
    response.setContentType("text/plain");
    response.getWriter().write("released");
  }

  private static void await(CountDownLatch held) {
    try {
      if (!held.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never let the request go");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
