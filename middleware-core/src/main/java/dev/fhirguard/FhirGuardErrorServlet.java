package dev.fhirguard;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Renders container errors as OperationOutcomes. Map it as the global {@code <error-page>} of a
 * {@code web.xml} deployment, for every method (it answers PUT, DELETE and PATCH too).
 */
public final class FhirGuardErrorServlet extends HttpServlet {

  private transient volatile FhirGuard guard;

  /** For {@code web.xml}: uses the guard published by {@link FhirGuardFilter}. */
  public FhirGuardErrorServlet() {}

  FhirGuardErrorServlet(FhirGuard guard) {
    this.guard = guard;
  }

  /** Finds the guard the filter published, so a bad configuration fails at start-up. */
  @Override
  public void init() {
    guard();
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    guard().errors().dispatched(request, response);
  }

  private synchronized FhirGuard guard() {
    FhirGuard current = guard;
    if (current == null) {
      current = FhirGuard.published(getServletContext());
      guard = current;
    }
    return current;
  }
}
