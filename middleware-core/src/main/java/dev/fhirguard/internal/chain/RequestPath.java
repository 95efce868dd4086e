package dev.fhirguard.internal.chain;

import jakarta.servlet.http.HttpServletRequest;

/** Where a request points inside its servlet context; the path every stage's rules match. */
public final class RequestPath {

  private RequestPath() {}

  /** The path inside the servlet context, decoded and normalized by the container. */
  public static String of(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    return path.isEmpty() ? "/" : path;
  }
}
