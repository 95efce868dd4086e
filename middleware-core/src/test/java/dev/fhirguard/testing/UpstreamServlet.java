package dev.fhirguard.testing;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.Upstream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A plain (non-HAPI) servlet that calls the {@link Backend}: {@code /upstream/helper} through
 * {@code guard.upstream("records")}, {@code /upstream/propagate} twice so with the request's
 * propagation headers, {@code /upstream/raw} directly (the HTTP client's exceptions
 * escape), {@code /upstream/throw/<trigger>} throws one of the {@link EhrExceptions}.
 */
public final class UpstreamServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient FhirGuard guard;
  private final transient BackendClient client;

  public UpstreamServlet(FhirGuard guard, BackendClient client) {
    this.guard = guard;
    this.client = client;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    String body;
    if (path.equals("/helper")) {
      body = guard.upstream(BackendClient.UPSTREAM).call(client::fetch);
    } else if (path.equals("/propagate")) {
      Upstream records = guard.upstream(BackendClient.UPSTREAM);
      body = records.call(() -> client.fetch(records.headers()))
          + records.call(() -> client.fetch(records.headers()));
    } else if (path.equals("/raw")) {
      body = fetchDirectly();
    } else if (path.startsWith("/throw/")) {
      throw EhrExceptions.named(path.substring("/throw/".length()));
    } else {
      response.sendError(404);
      return;
    }
    response.setContentType("application/json");
    response.getWriter().write(body);
  }

  private String fetchDirectly() throws IOException {
    try {
      return client.fetch();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
