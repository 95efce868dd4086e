package dev.fhirguard.demo.admin;

import dev.fhirguard.FhirGuard;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Demo only: {@code POST /admin/maintenance?on=true|false} switches fhirguard's maintenance mode
 * at runtime ({@link FhirGuard#maintenance(boolean)}); {@code GET} shows it. Loopback only, and
 * exempt from maintenance itself (see {@code fhirguard.maintenance.exempt-paths}).
 */
public final class MaintenanceAdminServlet extends LoopbackAdminServlet {

  private static final long serialVersionUID = 1L;

  private final transient FhirGuard guard;

  public MaintenanceAdminServlet(FhirGuard guard) {
    super("maintenance switch");
    this.guard = guard;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    text(response, "maintenance: " + (guard.inMaintenance() ? "on" : "off"));
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String on = request.getParameter("on");
    if (!"true".equals(on) && !"false".equals(on)) {
      response.sendError(400, "Parameter on must be true or false.");
      return;
    }
    guard.maintenance(Boolean.parseBoolean(on));
    doGet(request, response);
  }
}
