package dev.fhirguard.demo.auth;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors inside {@code /auth} (a bad request Jetty refuses, an unexpected exception)
 * as JSON, never as an HTML page or a stack trace.
 */
final class JsonErrorHandler extends ErrorPageErrorHandler {

  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = statusOf(request, response);
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", errorCode(status));
    body.put("error_description", "HTTP " + status + " " + HttpStatus.getMessage(status) + ".");
    byte[] bytes = JSONObjectUtils.toJSONString(body).getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JsonResponses.JSON);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.PRAGMA, "no-cache");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, String.valueOf(bytes.length));
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }

  private static int statusOf(Request request, Response response) {
    Object cause = request.getAttribute(ERROR_EXCEPTION);
    int status = cause instanceof HttpException http ? http.getCode() : response.getStatus();
    return status < 400 ? 500 : status;
  }

  private static String errorCode(int status) {
    if (status == 404) {
      return "not_found";
    }
    return status >= 500 ? "server_error" : "invalid_request";
  }
}
