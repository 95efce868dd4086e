package dev.fhirguard.internal.boundary;

import dev.fhirguard.internal.tracking.MdcScope;
import dev.fhirguard.internal.tracking.RequestTracking;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;

/**
 * Answers an async request that times out or fails before the application completes it (made
 * only when a request goes async, off the common path).
 */
final class AsyncFailures implements AsyncListener {

  private final GuardedResponse guarded;
  private final RequestTracking tracking;

  AsyncFailures(GuardedResponse guarded, RequestTracking tracking) {
    this.guarded = guarded;
    this.tracking = tracking;
  }

  @Override
  public void onTimeout(AsyncEvent event) throws IOException {
    try (MdcScope scope = tracking.open(guarded.identity())) {
      guarded.timedOut();
      event.getAsyncContext().complete();
    }
  }

  @Override
  public void onError(AsyncEvent event) throws IOException {
    try (MdcScope scope = tracking.open(guarded.identity())) {
      guarded.failed(event.getThrowable());
    }
  }

  @Override
  public void onComplete(AsyncEvent event) {}

  @Override
  public void onStartAsync(AsyncEvent event) {}
}
