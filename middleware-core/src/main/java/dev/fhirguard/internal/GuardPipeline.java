package dev.fhirguard.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/** The fhirguard stages in the order a request meets them, ending with the application. */
public final class GuardPipeline {

  private final List<Stage> stages;

  public GuardPipeline(RequestTracking tracking, ErrorResponder responder) {
    this.stages =
        List.of(
            new RequestIdStage(tracking), // 1: X-Request-ID, X-Correlation-Id, MDC
            new ErrorBoundaryStage(responder, tracking)); // 2: every error below becomes an OperationOutcome
  }

  public void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    proceed(0, request, response, chain);
  }

  private void proceed(
      int index, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (index == stages.size()) {
      chain.doFilter(request, response);
      return;
    }
    stages.get(index).apply(request, response, (req, res) -> proceed(index + 1, req, res, chain));
  }
}
