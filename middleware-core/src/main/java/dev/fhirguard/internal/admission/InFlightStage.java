package dev.fhirguard.internal.admission;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.internal.boundary.AfterResponse;
import dev.fhirguard.internal.config.GuardSettings;
import dev.fhirguard.internal.outcome.ErrorHandler;
import dev.fhirguard.internal.outcome.Failure;
import dev.fhirguard.internal.chain.Stage;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Function;

/**
 * Bounds the requests in progress: a request takes a slot for its key or is refused at once (503),
 * never queued. The slot is given back when the request is finished, after the application
 * returned, threw or, for an async request, when its async cycle ended. Only the first (REQUEST)
 * dispatch of a request counts.
 */
public final class InFlightStage implements Stage {

  /** The key of every request under the global bound. */
  private static final String ANY = "";


  private final Slots slots;
  private final Function<HttpServletRequest, String> keyOf;
  private final Failure refusal;
  private final ErrorHandler errors;

  /** The bound on all requests in progress ({@code max-in-flight} above 0). */
  public static InFlightStage global(Admission admission, GuardSettings.Overload settings,
      ErrorHandler errors) {
    Failure refusal = Failure.retryLater(ErrorCode.SERVER_OVERLOADED,
        "The server is busy with too many requests.", settings.retryAfter());
    return new InFlightStage(admission.global(), request -> ANY, refusal, errors);
  }

  /** The bound on each verified client's requests in progress (max-in-flight-per-client). */
  public static InFlightStage perClient(Admission admission, GuardSettings.Overload settings,
      ErrorHandler errors) {
    Failure refusal = Failure.retryLater(ErrorCode.CLIENT_CONCURRENCY_EXCEEDED,
        "This client has too many requests in progress.", settings.retryAfter());
    return new InFlightStage(admission.perClient(), InFlightStage::clientIdOf, refusal, errors);
  }

  private static String clientIdOf(HttpServletRequest request) {
    VerifiedClient client = VerifiedClient.of(request);
    return client == null ? null : client.clientId();
  }

  /** @param keyOf the key a request is counted under, or {@code null} for one not counted */
  private InFlightStage(Slots slots, Function<HttpServletRequest, String> keyOf, Failure refusal,
      ErrorHandler errors) {
    this.slots = slots;
    this.keyOf = keyOf;
    this.refusal = refusal;
    this.errors = errors;
  }

  @Override
  public void apply(HttpServletRequest request, HttpServletResponse response, Next next)
      throws IOException, ServletException {
    String key = request.getDispatcherType() == DispatcherType.REQUEST ? keyOf.apply(request) : null;
    if (key == null) {
      next.proceed(request, response);
      return;
    }
    if (!slots.tryAcquire(key)) {
      errors.refuse(request, response, refusal, "admission");
      return;
    }
    try {
      next.proceed(request, response);
    } finally {
      AfterResponse.whenFinished(request, () -> slots.release(key));
    }
  }
}
