package dev.fhirguard.jetty;

import dev.fhirguard.ContainerAnswer;
import dev.fhirguard.ContainerError;
import dev.fhirguard.FhirGuard;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The server-level Jetty error handler: answers with an OperationOutcome for every method, never
 * with a stack trace. For parse errors there may be no request headers: it then answers JSON with
 * a fresh transaction id.
 */
final class OutcomeErrorHandler extends ErrorHandler {

  private final Supplier<FhirGuard> guard;

  OutcomeErrorHandler(Supplier<FhirGuard> guard) {
    this.guard = guard; // handle() is replaced whole: Jetty's stack-trace pages never render
  }

  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  /** Writes the outcome for the error Jetty recorded on {@code request}. */
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String message = (String) request.getAttribute(ERROR_MESSAGE);
    Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
    if (cause instanceof HttpException httpException) {
      status = httpException.getCode();
      message = message == null ? httpException.getReason() : message;
      cause = null;
    }
    ContainerAnswer answer =
        guard.get().answer(
            new ContainerError(
                // Jetty names a request it could not parse "BAD /badMessage".
                "BAD".equals(request.getMethod()),
                request.getMethod(), pathOf(request), queryOf(request),
                request.getHeaders()::get, request::getAttribute, status, message, cause,
                response.getHeaders()::get));
    response.setStatus(answer.status());
    HttpFields.Mutable headers = response.getHeaders();
    answer.headers().forEach(headers::put);
    if (answer.body() == null) {
      callback.succeeded();
    } else {
      headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
      headers.put(HttpHeader.CONTENT_LENGTH, String.valueOf(answer.body().length));
      response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }
    return true;
  }

  private static String pathOf(Request request) {
    try {
      return request.getHttpURI().getPath();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String queryOf(Request request) {
    try {
      return request.getHttpURI().getQuery();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
