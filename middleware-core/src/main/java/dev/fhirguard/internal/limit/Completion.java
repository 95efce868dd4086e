package dev.fhirguard.internal.limit;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/** Runs a step with a response's final status: now, or when its async cycle ends. */
final class Completion {

  private Completion() {}

  /** Calls {@code onStatus} exactly once with the status the response ends with. */
  static void whenDone(HttpServletRequest request, HttpServletResponse response,
      IntConsumer onStatus) {
    if (!request.isAsyncStarted()) {
      onStatus.accept(response.getStatus());
      return;
    }
    AtomicBoolean done = new AtomicBoolean();
    request.getAsyncContext().addListener(new AsyncListener() {
      @Override
      public void onComplete(AsyncEvent event) {
        finish(event);
      }

      @Override
      public void onTimeout(AsyncEvent event) {
        finish(event);
      }

      @Override
      public void onError(AsyncEvent event) {
        finish(event);
      }

      @Override
      public void onStartAsync(AsyncEvent event) {
        event.getAsyncContext().addListener(this);
      }

      private void finish(AsyncEvent event) {
        if (done.compareAndSet(false, true)) {
          onStatus.accept(response.getStatus());
        }
      }
    });
  }
}
