package dev.fhirguard.jetty;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.internal.ContainerErrors;
import dev.fhirguard.internal.GuardAccess;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty error handler that answers with an OperationOutcome for every method, never with a
 * stack trace. At server level (parse errors) there may be no request headers: it then answers
 * JSON with a fresh transaction id.
 */
final class OutcomeErrorHandler extends ErrorHandler {

  private final ContainerErrors errors;

  OutcomeErrorHandler(FhirGuard guard) {
    this.errors = GuardAccess.containerErrors(guard);
    setShowStacks(false);
    setShowCauses(false);
    setShowMessageInTitle(false);
  }

  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

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
    HttpFields headers = request.getHeaders();
    ContainerErrors.Answer answer =
        errors.answer(
            new ContainerErrors.Problem(
                request.getMethod(), pathOf(request), query(request), headers::get, status, message,
                cause, request.getAttribute(ContainerErrors.IDENTITY_ATTRIBUTE)));
    response.setStatus(answer.status());
    HttpFields.Mutable out = response.getHeaders();
    answer.headers().forEach(out::put);
    if (answer.body() == null) {
      callback.succeeded();
    } else {
      out.put(HttpHeader.CONTENT_TYPE, answer.contentType());
      out.put(HttpHeader.CONTENT_LENGTH, String.valueOf(answer.body().length));
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

  private static String query(Request request) {
    try {
      return request.getHttpURI().getQuery();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
