package dev.fhirguard.demo.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Demo only: {@code GET /metrics}, the sample's meters (fhirguard's among them) in Prometheus'
 * text format, for callers on this machine only (anyone else gets a 403 OperationOutcome).
 */
public final class MetricsServlet extends LoopbackAdminServlet {

  private static final long serialVersionUID = 1L;
  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private final transient PrometheusMeterRegistry registry;

  public MetricsServlet(PrometheusMeterRegistry registry) {
    super("metrics endpoint");
    this.registry = registry;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType(TEXT_FORMAT);
    registry.scrape(response.getOutputStream(), TEXT_FORMAT);
  }
}
