package dev.fhirguard.demo.backend;

import dev.fhirguard.demo.admin.LoopbackAdminServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Demo only: {@code POST /admin/backend?mode=up|down|slow|unavailable|not-supported|error}
 * switches the backend's behaviour; {@code GET} shows it. Loopback only.
 */
final class BackendAdminServlet extends LoopbackAdminServlet {

  private static final long serialVersionUID = 1L;

  private final transient ObservationBackend backend;

  BackendAdminServlet(ObservationBackend backend) {
    super("backend switch");
    this.backend = backend;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    text(response, "backend mode: " + backend.mode().label());
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    BackendMode mode = BackendMode.parse(request.getParameter("mode"));
    if (mode == null) {
      response.sendError(400, "Parameter mode must be one of " + Arrays.stream(BackendMode.values())
          .map(BackendMode::label).collect(Collectors.joining(", ")) + ".");
      return;
    }
    backend.switchTo(mode);
    text(response, "backend mode: " + mode.label());
  }
}
