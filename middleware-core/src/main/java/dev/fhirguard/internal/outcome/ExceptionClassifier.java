package dev.fhirguard.internal.outcome;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import dev.fhirguard.ErrorCode;
import dev.fhirguard.UpstreamException;
import dev.fhirguard.internal.config.ExceptionMappings;
import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.config.UpstreamSettings;
import jakarta.servlet.UnavailableException;
import java.io.EOFException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Map;

/**
 * The one classifier of what went wrong: which catalog entry an exception or a {@code sendError}
 * stands for, on every path. Rules, in order: the application failing to decode a malformed
 * {@code %}-escape of the query is the client's 400; an upstream failure anywhere in the cause
 * chain (an {@link UpstreamException}, then the configured mappings, then the built-in ones:
 * connection refused, unknown host, no route, TLS handshake: 502; socket, HTTP-client and future
 * timeouts: 504) wins, unless a HAPI client error (a 4xx the application chose) comes first; HAPI's
 * exceptions keep their status with the precise code their HAPI message tells ({@link
 * HapiFailures}); a container's own HTTP exception keeps its status; anything else is a 500.
 * Clients see an upstream only by its display name.
 */
public final class ExceptionClassifier {

  /** Built-in mappings only, and no display names. */
  public static final ExceptionClassifier BUILT_IN =
      new ExceptionClassifier(ExceptionMappings.NONE, Map.of());

  private final ExceptionMappings mappings;
  private final Map<String, String> displayNames;

  /**
   * @param mappings the exception mappings of the configuration and the code
   * @param displayNames each upstream's display name, by its configured name
   */
  public ExceptionClassifier(ExceptionMappings mappings, Map<String, String> displayNames) {
    this.mappings = mappings;
    this.displayNames = Map.copyOf(displayNames);
  }

  /**
   * The classifier of a guard: the exception mappings of its configuration over those made in
   * {@code inCode}, and its upstreams' display names.
   */
  public static ExceptionClassifier of(
      ResolvedSettings settings, Map<Class<? extends Throwable>, ErrorCode> inCode) {
    return new ExceptionClassifier(
        ExceptionMappings.of(inCode, settings.get(UpstreamSettings.EXCEPTION_MAPPINGS)),
        settings.named(UpstreamSettings.DISPLAY_NAME));
  }

  /**
   * The failure {@code error} stands for, escaping the application while answering {@code method}
   * with {@code queryString} (may be {@code null}).
   */
  public Failure classify(Throwable error, String method, String queryString) {
    if (isMalformedQuery(error, queryString)) {
      return Failure.of(ErrorCode.MALFORMED_REQUEST,
          "The query string has a '%' that does not start a %XX escape.");
    }
    Failure upstream = upstreamFailure(error);
    if (upstream != null) {
      return upstream;
    }
    for (Throwable t : Throwables.causeChain(error)) {
      if (t instanceof BaseServerResponseException hapi) {
        return HapiFailures.classify(hapi, method);
      }
      if (t instanceof DataFormatException) {
        return Failure.of(HapiFailures.dataFormatCode(t.getMessage()), t.getMessage());
      }
      if (t instanceof UnavailableException) {
        return Failure.of(ErrorCode.SERVICE_UNAVAILABLE, null);
      }
      int containerStatus = containerStatus(t);
      if (containerStatus >= 400) {
        return Failure.ofStatus(containerStatus, t.getMessage());
      }
    }
    return Failure.of(ErrorCode.INTERNAL_ERROR, null);
  }

  /** The failure an upstream cause in {@code error}'s chain stands for, or {@code null}. */
  public Failure upstreamFailure(Throwable error) {
    for (Throwable t : Throwables.causeChain(error)) {
      if (t instanceof UpstreamException upstream) {
        return upstream(upstream.code(), upstream.upstream(), upstream.retryAfter().orElse(null),
            upstream.getCause());
      }
      ErrorCode code = mappedCode(t);
      if (code != null) {
        return upstream(code, null, null, t);
      }
      if (t instanceof BaseServerResponseException hapi && hapi.getStatusCode() < 500) {
        return null; // the application answered a 4xx on purpose; its causes are for the log
      }
    }
    return null;
  }

  /** The code of {@code error} itself (not its causes) by the mappings, or {@code null}. */
  private ErrorCode mappedCode(Throwable error) {
    ErrorCode configured = mappings.find(error);
    return configured != null ? configured : ExceptionMappings.BUILT_IN.find(error);
  }

  private Failure upstream(ErrorCode code, String upstream, Duration retryAfter, Throwable cause) {
    String message = code.isServerError() || cause == null ? null : cause.getMessage();
    Failure failure = Failure.of(code, message);
    String shown = UpstreamTexts.sentence(
        code, upstream == null ? null : displayNames.get(upstream), retryAfter);
    if (shown != null) {
      failure = failure.withPublicText(shown);
    }
    if (retryAfter != null) {
      failure = failure.withRetryAfter(retryAfter);
    }
    return failure;
  }

  /**
   * The failure for {@code sendError} (in the filter, or recorded by the container for the error
   * page). Servlet 6.0's {@code HttpServlet.service} has no {@code doPatch} and answers PATCH with
   * 501 (Jetty's servlet API: "is not defined in RFC 2068", Tomcat 10.1: "is not implemented by
   * this Servlet"): PATCH is a standard method (RFC 5789) that the target does not allow, a 405,
   * as a PUT gets. The 405's {@code Allow} comes from {@link RequiredHeaders}.
   */
  public static Failure ofSendError(int status, String message, String method) {
    if (status == 501 && "PATCH".equals(method)) {
      return Failure.of(
          ErrorCode.METHOD_NOT_ALLOWED, "HTTP method PATCH is not supported by this URL");
    }
    return Failure.ofStatus(status, message);
  }

  /**
   * Whether {@code error} is the application (HAPI's own query parsing, say) failing to decode
   * {@code queryString} because it has a {@code %} that does not start a {@code %XX} escape: the
   * client's mistake, a 400, not the server's.
   */
  static boolean isMalformedQuery(Throwable error, String queryString) {
    if (!hasMalformedEscape(queryString)) {
      return false;
    }
    for (Throwable t : Throwables.causeChain(error)) {
      if (t instanceof IllegalArgumentException) {
        return true;
      }
    }
    return false;
  }

  static boolean hasMalformedEscape(String text) {
    if (text == null) {
      return false;
    }
    for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
      if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
          || Character.digit(text.charAt(i + 2), 16) < 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The status of a container's own HTTP exception (Jetty's {@code HttpException}, e.g. a bad or
   * too large form body), found without a compile-time dependency on the container; 0 if none.
   */
  private static int containerStatus(Throwable t) {
    for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
      for (Class<?> contract : type.getInterfaces()) {
        if (contract.getName().equals("org.eclipse.jetty.http.HttpException")) {
          try {
            return (int) contract.getMethod("getCode").invoke(t);
          } catch (ReflectiveOperationException | ClassCastException e) {
            return 0;
          }
        }
      }
    }
    return 0;
  }

  /**
   * Whether the error is the client going away mid-response (nothing to answer). A failed call to
   * an upstream (a refused connection wrapping a closed channel) is not.
   */
  public static boolean isClientAbort(Throwable error) {
    for (Throwable t : Throwables.causeChain(error)) {
      if (t instanceof UpstreamException || ExceptionMappings.BUILT_IN.find(t) != null) {
        return false;
      }
      if (t instanceof EOFException || t instanceof ClosedChannelException
          || t.getClass().getSimpleName().equals("ClientAbortException")) {
        return true;
      }
    }
    return false;
  }
}
