package dev.fhirguard.internal.tracking;

import dev.fhirguard.internal.chain.Stage;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Assigns the transaction id (or finds the one assigned on the first dispatch) and keeps it in
 * the MDC while the rest of the chain runs, on request, async and error dispatches alike.
 */
public final class RequestIdStage implements Stage {

  private final RequestTracking tracking;

  public RequestIdStage(RequestTracking tracking) {
    this.tracking = tracking;
  }

  @Override
  public void apply(HttpServletRequest request, HttpServletResponse response, Next next)
      throws IOException, ServletException {
    RequestIdentity identity = tracking.establish(request, response);
    try (MdcScope scope = tracking.open(identity)) {
      next.proceed(request, response);
    }
  }
}
