package dev.fhirguard.sample.backend;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Demo only: {@code POST /admin/backend?mode=up|down|slow|unavailable|not-supported|error}
 * switches the backend's behaviour; {@code GET} shows it. Answers callers on this machine only
 * (loopback); anyone else gets a 403.
 */
final class BackendAdminServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient ObservationBackend backend;

  BackendAdminServlet(ObservationBackend backend) {
    this.backend = backend;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException, jakarta.servlet.ServletException {
    if (!InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress()) {
      response.sendError(403, "The backend switch answers only on this machine (loopback).");
      return;
    }
    super.service(request, response);
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

  private static void text(HttpServletResponse response, String line) throws IOException {
    response.setContentType("text/plain;charset=utf-8");
    response.getWriter().println(line);
  }
}
