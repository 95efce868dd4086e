package dev.fhirguard.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * The request seen downstream of the error boundary. Its async contexts always write through the
 * {@link GuardedResponse}, and completing one finishes the boundary (with the transaction id in
 * the MDC), so errors produced asynchronously become outcomes too.
 */
final class GuardedRequest extends HttpServletRequestWrapper {

  private final HttpServletRequest original;
  private final GuardedResponse response;
  private final RequestTracking tracking;
  private final ErrorBoundaryStage boundary;
  private GuardedAsyncContext async;

  GuardedRequest(
      HttpServletRequest request,
      GuardedResponse response,
      RequestTracking tracking,
      ErrorBoundaryStage boundary) {
    super(request);
    this.original = request;
    this.response = response;
    this.tracking = tracking;
    this.boundary = boundary;
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
      started.addListener(boundary.asyncFailures(original, response));
      async = new GuardedAsyncContext(started);
    }
    return async;
  }

  /** Delegates everything; completion finishes the boundary first. */
  private final class GuardedAsyncContext implements AsyncContext {
    private final AsyncContext delegate;

    GuardedAsyncContext(AsyncContext delegate) {
      this.delegate = delegate;
    }

    boolean wraps(AsyncContext other) {
      return delegate == other;
    }

    @Override
    public void complete() {
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
      delegate.dispatch();
    }

    @Override
    public void dispatch(String path) {
      delegate.dispatch(path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
      delegate.dispatch(context, path);
    }

    @Override
    public void addListener(AsyncListener listener) {
      delegate.addListener(listener);
    }

    @Override
    public void addListener(
        AsyncListener listener, ServletRequest servletRequest, ServletResponse servletResponse) {
      delegate.addListener(listener, servletRequest, servletResponse);
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
}
