package dev.fhirguard.internal.limit;

import dev.fhirguard.internal.tracking.ClientKeys;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.chain.Stage;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The limit in front of authentication: one bucket per network address, so that a flood (of bad
 * tokens, say) is refused with 429 before any signature is checked.
 */
public final class AddressLimitStage implements Stage {

  private final RateLimiter limiter;
  private final ClientKeys keys;
  private final ErrorHandler errors;

  public AddressLimitStage(RateLimiter limiter, ClientKeys keys, ErrorHandler errors) {
    this.limiter = limiter;
    this.keys = keys;
    this.errors = errors;
  }

  @Override
  public void apply(HttpServletRequest request, HttpServletResponse response, Next next)
      throws IOException, ServletException {
    if (request.getDispatcherType() == DispatcherType.REQUEST) {
      Failure refused = limiter.take(keys.address(request), null, 1, response);
      if (refused != null) {
        errors.refuse(request, response, refused, "rate-limit");
        return;
      }
    }
    next.proceed(request, response);
  }
}
