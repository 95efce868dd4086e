package dev.fhirguard.internal.outcome;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import dev.fhirguard.ErrorCode;

/**
 * Refines HAPI's exceptions: HAPI answers many different client mistakes with a generic 400 or
 * 404, and its message code (HAPI-0303, HAPI-1861...) tells which catalog entry each is.
 */
final class HapiFailures {

  private HapiFailures() {}

  /** The failure for a HAPI exception, refining HAPI's generic status where it is imprecise. */
  static Failure classify(BaseServerResponseException error, String method) {
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

  static ErrorCode dataFormatCode(String message) {
    String text = message == null ? "" : message;
    return text.contains("HAPI-1882") || text.contains("HAPI-1880")
        ? ErrorCode.INVALID_PARAMETER_VALUE
        : ErrorCode.INVALID_RESOURCE;
  }

}
