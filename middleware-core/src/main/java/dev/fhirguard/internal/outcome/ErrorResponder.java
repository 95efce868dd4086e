package dev.fhirguard.internal.outcome;

import dev.fhirguard.internal.tracking.RequestIdentity;
import dev.fhirguard.internal.tracking.RequestTracking;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes an error as an OperationOutcome onto a servlet response: negotiates the format, clears
 * what the failed response had started, sets status and headers (those the status requires too,
 * see {@link RequiredHeaders}) and writes the body (none for HEAD, 204 and 304). A committed
 * response is left alone and logged.
 */
public final class ErrorResponder {

  private static final List<String> STALE_HEADERS =
      List.of("Content-Encoding", "Content-Disposition", "Content-Range", "Content-Language",
          "ETag", "Last-Modified", "Transfer-Encoding");

  /** Every error fhirguard sends carries {@code Cache-Control: no-store}. */
  public static final String CACHE_CONTROL = "Cache-Control";

  public static final String NO_STORE = "no-store";

  private final OutcomeRenderer renderer;
  private final RequestTracking tracking;
  private final RequiredHeaders requiredHeaders;

  public ErrorResponder(
      OutcomeRenderer renderer, RequestTracking tracking, RequiredHeaders requiredHeaders) {
    this.renderer = renderer;
    this.tracking = tracking;
    this.requiredHeaders = requiredHeaders;
  }

  public OutcomeRenderer renderer() {
    return renderer;
  }

  public RequiredHeaders requiredHeaders() {
    return requiredHeaders;
  }

  /** Sends {@code failure}; returns false (and logs) when the response was already committed. */
  public boolean respond(HttpServletRequest request, HttpServletResponse response, Failure failure)
      throws IOException {
    if (response.isCommitted()) {
      FailureLog.logger().debug("Response already committed; {} not sent", failure.code().code());
      return false;
    }
    Format format =
        FormatNegotiator.negotiate(
            request.getQueryString(), request.getHeader("Accept"), request.getContentType());
    RequestIdentity identity = tracking.establish(request, response);
    response.resetBuffer();
    for (String header : STALE_HEADERS) {
      response.setHeader(header, null);
    }
    response.setStatus(failure.status());
    response.setHeader(CACHE_CONTROL, NO_STORE);
    failure.headers().forEach(response::setHeader);
    requiredHeaders.complete(request, response, failure.status());
    if (!hasBody(request.getMethod(), failure.status())) {
      return true;
    }
    byte[] body = renderer.render(failure, identity.requestId(), format);
    response.setContentType(format.contentType());
    write(response, body);
    return true;
  }

  /** Whether a response to {@code method} with {@code status} may carry a body. */
  public static boolean hasBody(String method, int status) {
    return !"HEAD".equals(method) && status != 204 && status != 304 && status >= 200;
  }

  private static void write(HttpServletResponse response, byte[] body) throws IOException {
    try {
      jakarta.servlet.ServletOutputStream out = response.getOutputStream();
      response.setContentLength(body.length);
      out.write(body);
    } catch (IllegalStateException writerInUse) {
      // The application took the writer, whose charset is fixed: send pure ASCII, which reads
      // the same in any ASCII-compatible charset and keeps the Content-Length exact.
      String ascii = asciiOnly(new String(body, StandardCharsets.UTF_8));
      response.setContentLength(ascii.length());
      response.getWriter().write(ascii);
    }
  }

  /**
   * Escapes every non-ASCII character as a numeric escape that both JSON strings ({@code
   * \\uXXXX}) and XML text ({@code &#xXXXX;}) understand: non-ASCII only ever occurs inside
   * strings and text in the encoded outcome.
   */
  static String asciiOnly(String encoded) {
    boolean xml = encoded.startsWith("<");
    StringBuilder out = new StringBuilder(encoded.length() + 16);
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c < 0x80) {
        out.append(c);
      } else if (xml) {
        int codePoint = encoded.codePointAt(i);
        out.append("&#x").append(Integer.toHexString(codePoint)).append(';');
        i += Character.charCount(codePoint) - 1;
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.toString();
  }
}
