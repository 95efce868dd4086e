package dev.fhirguard.internal.boundary;

import dev.fhirguard.internal.outcome.FailureLog;
import dev.fhirguard.internal.tracking.MdcScope;
import dev.fhirguard.internal.tracking.RequestIdentity;
import dev.fhirguard.internal.tracking.RequestTracking;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The request seen downstream of the error boundary. Its async contexts always write through the
 * {@link GuardedResponse}, and completing one finishes the boundary (with the transaction id in
 * the MDC), so errors produced asynchronously become outcomes too. Listeners the application adds
 * hear every event first; fhirguard answers a timeout or an error only when none of them
 * completed or dispatched the request.
 */
final class GuardedRequest extends HttpServletRequestWrapper {

  private final GuardedResponse response;
  private final RequestTracking tracking;
  private GuardedAsyncContext async;

  GuardedRequest(
      HttpServletRequest request,
      GuardedResponse response,
      RequestTracking tracking) {
    super(request);
    this.response = response;
    this.tracking = tracking;
  }

  @Override
  public AsyncContext startAsync() {
    return guard(super.startAsync(this, response));
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse servletResponse) {
    return guard(super.startAsync(request, servletResponse));
  }

  @Override
  public AsyncContext getAsyncContext() {
    AsyncContext current = super.getAsyncContext();
    return async != null && async.wraps(current) ? async : current;
  }

  private synchronized AsyncContext guard(AsyncContext started) {
    if (async == null || !async.wraps(started)) {
      async = new GuardedAsyncContext(started, new AsyncFailures(response, tracking));
      started.addListener(async.relay());
    }
    return async;
  }

  /** Delegates everything; completion finishes the boundary first. */
  private final class GuardedAsyncContext implements AsyncContext {
    private final AsyncContext delegate;
    private final AsyncListener fallback;
    private final List<Registered> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean settled;

    GuardedAsyncContext(AsyncContext delegate, AsyncListener fallback) {
      this.delegate = delegate;
      this.fallback = fallback;
    }

    /** The one listener fhirguard gives the container: the application's first, then its own. */
    AsyncListener relay() {
      return new AsyncListener() {
        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
          forEach(event, AsyncListener::onTimeout);
          if (!settled) {
            fallback.onTimeout(event);
          }
        }

        @Override
        public void onError(AsyncEvent event) throws IOException {
          forEach(event, AsyncListener::onError);
          if (!settled) {
            fallback.onError(event);
          }
        }

        @Override
        public void onComplete(AsyncEvent event) throws IOException {
          forEach(event, AsyncListener::onComplete);
        }

        /**
         * A new async cycle in an ASYNC dispatch: the container forgot its listeners, so the relay
         * registers itself again; the application's listeners are told and may register again.
         */
        @Override
        public void onStartAsync(AsyncEvent event) throws IOException {
          event.getAsyncContext().addListener(this);
          List<Registered> previous = List.copyOf(listeners);
          listeners.clear();
          settled = false;
          forEach(previous, event, AsyncListener::onStartAsync);
        }
      };
    }

    private void forEach(AsyncEvent event, Notification notification) throws IOException {
      forEach(listeners, event, notification);
    }

    private void forEach(List<Registered> registeredListeners, AsyncEvent event,
        Notification notification) throws IOException {
      for (Registered registered : registeredListeners) {
        notification.send(
            registered.listener(),
            new AsyncEvent(this, registered.request(), registered.response(), event.getThrowable()));
      }
    }

    boolean wraps(AsyncContext other) {
      return delegate == other;
    }

    @Override
    public void complete() {
      settled = true;
      try (MdcScope scope = tracking.open(response.identity())) {
        response.finish();
      } catch (IOException e) {
        FailureLog.logger().debug("Could not finish the async response: {}", e.toString());
      }
      delegate.complete();
    }

    @Override
    public void start(Runnable run) {
      RequestIdentity identity = response.identity();
      delegate.start(
          () -> {
            try (MdcScope scope = tracking.open(identity)) {
              run.run();
            }
          });
    }

    @Override
    public ServletRequest getRequest() {
      return delegate.getRequest();
    }

    @Override
    public ServletResponse getResponse() {
      return delegate.getResponse();
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
      return delegate.hasOriginalRequestAndResponse();
    }

    @Override
    public void dispatch() {
      settled = true;
      delegate.dispatch();
    }

    @Override
    public void dispatch(String path) {
      settled = true;
      delegate.dispatch(path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
      settled = true;
      delegate.dispatch(context, path);
    }

    @Override
    public void addListener(AsyncListener listener) {
      addListener(listener, getRequest(), getResponse());
    }

    @Override
    public void addListener(
        AsyncListener listener, ServletRequest servletRequest, ServletResponse servletResponse) {
      listeners.add(new Registered(listener, servletRequest, servletResponse));
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type)
        throws jakarta.servlet.ServletException {
      return delegate.createListener(type);
    }

    @Override
    public void setTimeout(long timeout) {
      delegate.setTimeout(timeout);
    }

    @Override
    public long getTimeout() {
      return delegate.getTimeout();
    }
  }

  private record Registered(
      AsyncListener listener, ServletRequest request, ServletResponse response) {}

  @FunctionalInterface
  private interface Notification {
    void send(AsyncListener listener, AsyncEvent event) throws IOException;
  }
}
