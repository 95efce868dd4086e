package dev.fhirguard.internal.tracking;

import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.config.Settings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Enumeration;
import java.util.function.BiConsumer;

/**
 * Gives every request its transaction id once, keeps it in a request attribute (also HAPI's, so
 * RestfulServer reuses it), sends it in the response headers and puts it in the MDC.
 */
public final class RequestTracking {

  private final RequestIds ids;
  private final String[] keys;
  private final String[] keysWithTrace;

  public RequestTracking(ResolvedSettings settings) {
    this.ids = new RequestIds(settings);
    this.keys = new String[] {
        settings.get(Settings.MDC_REQUEST_ID_KEY), settings.get(Settings.MDC_CORRELATION_ID_KEY)};
    this.keysWithTrace = new String[] {keys[0], keys[1],
        settings.get(Settings.MDC_TRACE_ID_KEY), settings.get(Settings.MDC_SPAN_ID_KEY)};
  }

  /** The request's identity: the one already assigned, or a new one from its headers. */
  public RequestIdentity establish(HttpServletRequest request, HttpServletResponse response) {
    Object known = request.getAttribute(RequestIdentity.ATTRIBUTE);
    RequestIdentity identity;
    if (known instanceof RequestIdentity existing) {
      identity = existing;
    } else {
      identity = ids.identify(request.getHeader(RequestIds.REQUEST_ID_HEADER), traceOf(request));
      request.setAttribute(RequestIdentity.ATTRIBUTE, identity);
      request.setAttribute(RequestIds.HAPI_REQUEST_ID_ATTRIBUTE, identity.requestId());
    }
    if (!response.isCommitted()) {
      writeHeaders(response, identity);
    }
    return identity;
  }

  public RequestIdentity identify(String clientValue) {
    return ids.identify(clientValue);
  }

  /**
   * The request's valid {@code traceparent}, or {@code null}: absent, invalid, or sent twice
   * (which one would be meant is unknowable). Without the header this is one look-up.
   */
  static TraceContext traceOf(HttpServletRequest request) {
    String header = request.getHeader(TraceContext.HEADER);
    if (header == null) {
      return null;
    }
    Enumeration<String> all = request.getHeaders(TraceContext.HEADER);
    all.nextElement();
    return all.hasMoreElements() ? null : TraceContext.parse(header);
  }

  /** Sets exactly one {@code X-Request-ID} (and {@code X-Correlation-Id} when there is one). */
  public static void writeHeaders(HttpServletResponse response, RequestIdentity identity) {
    writeHeaders(response::setHeader, identity);
  }

  /** The same, through any header setter that replaces earlier values. */
  public static void writeHeaders(BiConsumer<String, String> setHeader, RequestIdentity identity) {
    setHeader.accept(RequestIds.REQUEST_ID_HEADER, identity.requestId());
    if (identity.correlationId() != null) {
      setHeader.accept(RequestIds.CORRELATION_ID_HEADER, identity.correlationId());
    }
  }

  /**
   * The correlation id as put in the MDC: characters that delimit fields in common log layouts
   * (quotes, '=', '|', braces, commas, spaces, backslashes) become '_' so it cannot forge fields.
   */
  public static String mdcSafe(String correlationId) {
    if (correlationId == null) {
      return null;
    }
    StringBuilder safe = new StringBuilder(correlationId.length());
    for (int i = 0; i < correlationId.length(); i++) {
      char c = correlationId.charAt(i);
      safe.append(Character.isLetterOrDigit(c) && c < 0x80 || "._:/@+-".indexOf(c) >= 0 ? c : '_');
    }
    return safe.toString();
  }

  /**
   * Puts the identity (and its trace and span ids, when it has a trace context) into the MDC and
   * makes it the thread's current request until the returned scope is closed.
   */
  public MdcScope open(RequestIdentity identity) {
    TraceContext trace = identity.trace();
    String correlationId = mdcSafe(identity.correlationId());
    return trace == null
        ? MdcScope.forRequest(identity, keys,
            new String[] {identity.requestId(), correlationId})
        : MdcScope.forRequest(identity, keysWithTrace,
            new String[] {identity.requestId(), correlationId, trace.traceId(), trace.parentId()});
  }
}
