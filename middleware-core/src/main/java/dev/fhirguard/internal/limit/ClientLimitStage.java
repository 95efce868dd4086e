package dev.fhirguard.internal.limit;

import dev.fhirguard.internal.tracking.ClientKeys;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.chain.Stage;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.ToLongFunction;

/**
 * The per-client rate limit: a request takes its cost from its client's bucket (the cost function
 * says how much: an export kick-off more, a poll of the client's own job less) or is refused with
 * 429 RATE_LIMITED. Every response carries the client's rate-limit headers.
 */
public final class ClientLimitStage implements Stage {

  private final RateLimiter verified;
  private final RateLimiter anonymous;
  private final ClientKeys keys;
  private final ToLongFunction<HttpServletRequest> cost;
  private final ErrorHandler errors;

  /**
   * @param verified the limiter of verified clients
   * @param anonymous the limiter of requests without a token (by address)
   * @param cost the tokens a request takes from its client's bucket
   */
  public ClientLimitStage(RateLimiter verified, RateLimiter anonymous, ClientKeys keys,
      ToLongFunction<HttpServletRequest> cost, ErrorHandler errors) {
    this.verified = verified;
    this.anonymous = anonymous;
    this.keys = keys;
    this.cost = cost;
    this.errors = errors;
  }

  @Override
  public void apply(HttpServletRequest request, HttpServletResponse response, Next next)
      throws IOException, ServletException {
    if (request.getDispatcherType() == DispatcherType.REQUEST) {
      long tokens = cost.applyAsLong(request);
      VerifiedClient client = VerifiedClient.of(request);
      String key = keys.client(request);
      Failure refused = client == null
          ? anonymous.take(key, null, tokens, response)
          : verified.take(key, client.clientId(), tokens, response);
      if (refused != null) {
        errors.refuse(request, response, refused, "rate-limit");
        return;
      }
    }
    next.proceed(request, response);
  }
}
