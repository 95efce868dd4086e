package dev.fhirguard.internal.outcome;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import dev.fhirguard.ErrorCode;
import jakarta.servlet.UnavailableException;
import java.io.EOFException;
import java.nio.channels.ClosedChannelException;

/**
 * Classifies exceptions into catalog entries: HAPI's server exceptions keep their status and get
 * the precise code their HAPI message code tells; anything else is a 500.
 */
public final class Failures {

  private Failures() {}

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

  /** The failure an exception escaping the application stands for (built-in upstream rules). */
  public static Failure classify(Throwable error, String method) {
    return classify(error, method, UpstreamClassifier.BUILT_IN);
  }

  /**
   * As {@link #classify(Throwable, String, UpstreamClassifier)}, but a failure to decode a
   * malformed {@code queryString} (see {@link #isMalformedQuery}) is a 400 MALFORMED_REQUEST.
   */
  public static Failure classify(Throwable error, String method, String queryString,
      UpstreamClassifier upstreams) {
    return isMalformedQuery(error, queryString)
        ? Failure.of(ErrorCode.MALFORMED_REQUEST,
            "The query string has a '%' that does not start a %XX escape.")
        : classify(error, method, upstreams);
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
   * The failure an exception escaping the application stands for. An upstream failure anywhere in
   * the cause chain wins (a HAPI 500 wrapping a refused connection is a 502).
   */
  public static Failure classify(Throwable error, String method, UpstreamClassifier upstreams) {
    Failure upstream = upstreams.classify(error);
    if (upstream != null) {
      return upstream;
    }
    for (Throwable t : Throwables.causeChain(error)) {
      if (t instanceof BaseServerResponseException hapi) {
        return classifyHapi(hapi, method);
      }
      if (t instanceof DataFormatException) {
        return Failure.of(dataFormatCode(t.getMessage()), t.getMessage());
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

  /** The failure for a HAPI exception, refining HAPI's generic status where it is imprecise. */
  public static Failure classifyHapi(BaseServerResponseException error, String method) {
    int status = error.getStatusCode();
    String message = error.getMessage();
    String text = message == null ? "" : message;
    if (status == 400 && text.startsWith("HAPI-0303")) {
      return unknownMethod(text, method);
    }
    if (status == 400 && error.getCause() instanceof DataFormatException) {
      return Failure.of(dataFormatCode(text), message);
    }
    if (status == 400 && (text.startsWith("HAPI-1861") || text.startsWith("HAPI-1825")
        || text.startsWith("HAPI-1859") || text.startsWith("HAPI-0450"))) {
      return Failure.of(ErrorCode.INVALID_RESOURCE, message);
    }
    // The JPA server's unknown search parameter (HAPI-0524), and the same check in HAPI's
    // SearchPreferHandlingInterceptor (HAPI-0323): the plain server's HAPI-0303 case, said otherwise
    if (status == 400 && (text.startsWith("HAPI-0524") || text.startsWith("HAPI-0323"))) {
      return Failure.of(ErrorCode.INVALID_SEARCH_PARAMETER, message);
    }
    if (status == 400 && (text.startsWith("HAPI-1882") || text.startsWith("HAPI-1880"))) {
      return Failure.of(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }
    if (status == 404) {
      return Failure.of(
          text.startsWith("HAPI-0302") ? ErrorCode.UNKNOWN_RESOURCE_TYPE : ErrorCode.RESOURCE_NOT_FOUND,
          message);
    }
    return new Failure(status, ErrorCode.forStatus(status), message);
  }

  /** HAPI-0303 "does not know how to handle VERB operation[path] with parameters [...]". */
  private static Failure unknownMethod(String text, String method) {
    int pathStart = text.indexOf("operation[");
    int pathEnd = pathStart < 0 ? -1 : text.indexOf(']', pathStart);
    String path = pathEnd < 0 ? "" : text.substring(pathStart, pathEnd);
    boolean namesOperation = path.contains("$");
    boolean hasParameters = !text.endsWith("with parameters [[]]");
    if (path.endsWith("/_search") || path.equals("operation[_search")) {
      return Failure.of(ErrorCode.INVALID_SEARCH_PARAMETER, text);
    }
    if (!namesOperation && !"GET".equals(method) && !"HEAD".equals(method)) {
      return Failure.of(ErrorCode.METHOD_NOT_ALLOWED, text);
    }
    if (!namesOperation && hasParameters) {
      return Failure.of(ErrorCode.INVALID_SEARCH_PARAMETER, text);
    }
    return Failure.of(ErrorCode.UNSUPPORTED_OPERATION, text);
  }

  private static ErrorCode dataFormatCode(String message) {
    String text = message == null ? "" : message;
    return text.contains("HAPI-1882") || text.contains("HAPI-1880")
        ? ErrorCode.INVALID_PARAMETER_VALUE
        : ErrorCode.INVALID_RESOURCE;
  }

  /**
   * Whether the error is the client going away mid-response (nothing to answer). A failed call to
   * an upstream (a refused connection wrapping a closed channel) is not.
   */
  public static boolean isClientAbort(Throwable error) {
    for (Throwable t : Throwables.causeChain(error)) {
      if (UpstreamClassifier.isBuiltInUpstreamFailure(t)) {
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
