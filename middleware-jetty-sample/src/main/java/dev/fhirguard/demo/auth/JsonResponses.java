package dev.fhirguard.demo.auth;

import com.nimbusds.jose.util.JSONObjectUtils;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the authorization server's JSON answers. */
final class JsonResponses {

  static final String JSON = "application/json;charset=UTF-8";

  private JsonResponses() {}

  /** Writes {@code body} with {@code status}; the caller sets any caching headers first. */
  static void write(HttpServletResponse response, int status, String contentType,
      Map<String, ?> body) throws IOException {
    byte[] bytes = JSONObjectUtils.toJSONString(body).getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType(contentType);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /**
   * An {@code {"error", "error_description"}} answer that no cache may keep, the description in
   * the characters RFC 6749 section 5.2 allows.
   */
  static void error(HttpServletResponse response, int status, String error, String description)
      throws IOException {
    noStore(response);
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", Printable.errorDescription(description));
    write(response, status, JSON, body);
  }

  /** A 405 naming the allowed methods. */
  static void methodNotAllowed(HttpServletResponse response, String allowed, String what)
      throws IOException {
    response.setHeader("Allow", allowed);
    error(response, 405, "invalid_request",
        what + " accepts only " + allowed.replace(", ", " and ") + ".");
  }

  /** {@code Cache-Control: no-store} and {@code Pragma: no-cache} (RFC 6749 section 5.1). */
  static void noStore(HttpServletResponse response) {
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Pragma", "no-cache");
  }
}
