package dev.fhirguard.internal.tracking;

import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.config.Settings;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The transaction-id rules. A client's {@code X-Request-ID} is accepted when it is a FHIR {@code
 * id} ({@code [A-Za-z0-9.-]{1,64}}), so it can also be {@code OperationOutcome.id}. Otherwise a
 * random UUID is generated and the client's value, when it is printable ASCII of bounded length,
 * is echoed in {@code X-Correlation-Id}.
 */
public final class RequestIds {

  public static final String REQUEST_ID_HEADER = "X-Request-ID";
  public static final String CORRELATION_ID_HEADER = "X-Correlation-Id";
  /** HAPI's own request attribute: when set, RestfulServer uses it as its request id. */
  public static final String HAPI_REQUEST_ID_ATTRIBUTE =
      "ca.uhn.fhir.rest.server.ServletRequestTracing.X-Request-ID";

  /** The FHIR id rule, {@code [A-Za-z0-9.-]{1,64}}. */
  private static final int MAX_ACCEPTED_LENGTH = 64;

  private final boolean acceptClientId;
  private final boolean useTraceId;
  private final int maxCorrelationLength;

  public RequestIds(ResolvedSettings settings) {
    this.acceptClientId = settings.get(Settings.ACCEPT_CLIENT_REQUEST_ID);
    this.useTraceId = settings.get(Settings.USE_TRACE_ID);
    this.maxCorrelationLength = settings.get(Settings.MAX_CORRELATION_ID_LENGTH);
  }

  /** The identity of a request that sent {@code clientValue} (may be {@code null}). */
  public RequestIdentity identify(String clientValue) {
    return identify(clientValue, null);
  }

  /**
   * The identity of a request that sent {@code clientValue} and {@code trace} (either may be
   * {@code null}). Without an {@code X-Request-ID}, the trace id is the transaction id when
   * {@code fhirguard.request-id.use-trace-id} says so.
   */
  public RequestIdentity identify(String clientValue, TraceContext trace) {
    if (clientValue == null) {
      return new RequestIdentity(
          useTraceId && trace != null ? trace.traceId() : generate(), null, trace);
    }
    if (acceptClientId && isAcceptable(clientValue)) {
      return new RequestIdentity(clientValue, null, trace);
    }
    return new RequestIdentity(generate(), isSafeToEcho(clientValue) ? clientValue : null, trace);
  }

  public static boolean isAcceptable(String value) {
    if (value.isEmpty() || value.length() > MAX_ACCEPTED_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9') || c == '.' || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  boolean isSafeToEcho(String value) {
    if (value.isBlank() || value.length() > maxCorrelationLength) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** A random version-4 UUID; unpredictability is not needed, so no SecureRandom contention. */
  public static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }
}
