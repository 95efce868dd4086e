package dev.fhirguard.internal.boundary;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Runs a step once a request is finished: now, or when its async cycle ends (a slot given back,
 * the final status of an export answer looked at).
 */
public final class AfterResponse {

  private AfterResponse() {}

  /**
   * Runs {@code release} exactly once: at once when the request did not go async, else when its
   * async cycle completes, fails or times out. Call it after the chain returned.
   */
  public static void whenFinished(HttpServletRequest request, Runnable release) {
    if (request.isAsyncStarted()) {
      try {
        request.getAsyncContext().addListener(new Once(release));
        return;
      } catch (IllegalStateException completedMeanwhile) {
        // the application completed the cycle between the two calls: nothing will tell us later
      }
    }
    release.run();
  }

  /** Calls {@code onStatus} exactly once with the status {@code response} ends with. */
  public static void withStatus(
      HttpServletRequest request, HttpServletResponse response, IntConsumer onStatus) {
    whenFinished(request, () -> onStatus.accept(response.getStatus()));
  }

  /** Runs its action on the first end of the async cycle; follows a restarted cycle. */
  private static final class Once implements AsyncListener {
    private final Runnable release;
    private final AtomicBoolean done = new AtomicBoolean();

    Once(Runnable release) {
      this.release = release;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      finish();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      finish();
    }

    @Override
    public void onError(AsyncEvent event) {
      finish();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }

    private void finish() {
      if (done.compareAndSet(false, true)) {
        release.run();
      }
    }
  }
}
