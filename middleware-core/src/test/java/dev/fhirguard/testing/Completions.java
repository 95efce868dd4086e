package dev.fhirguard.testing;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.EventsHandler;

/**
 * Wraps a server's handler and tells when the server has completed a request: everything the
 * request logged has been logged by then, even when the client got its answer (or left) earlier.
 */
public final class Completions extends EventsHandler {

  private final BlockingQueue<String> completed = new LinkedBlockingQueue<>();

  public Completions(Handler handler) {
    super(handler);
  }

  @Override
  protected void onComplete(Request request, Throwable failure) {
    completed.add(request.getMethod() + " " + request.getHttpURI().getPathQuery());
  }

  /** Forgets completions seen so far. */
  public void clear() {
    completed.clear();
  }

  /**
   * Waits (at most 20 s) until the server has completed {@code method pathAndQuery}; completions
   * of other requests seen meanwhile are consumed.
   */
  public void await(String method, String pathAndQuery) {
    String wanted = method + " " + pathAndQuery;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    try {
      while (true) {
        String next = completed.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (next == null) {
          throw new AssertionError("the server did not complete " + wanted);
        }
        if (next.equals(wanted)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
