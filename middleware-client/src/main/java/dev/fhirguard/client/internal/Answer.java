package dev.fhirguard.client.internal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failed HTTP answer, read completely so the response can be closed: status, headers (names in
 * lower case), body and the OperationOutcome parsed from it the way HAPI's client parses it.
 */
public record Answer(int status, String statusInfo, String mimeType, String body,
    Map<String, List<String>> headers, IBaseOperationOutcome outcome) {

  private static final Logger LOG = LoggerFactory.getLogger(Answer.class);

  /** Reads {@code response} (body included) and closes it. */
  public static Answer read(IHttpResponse response, FhirContext context) {
    try {
      String mimeType = response.getMimeType();
      String body = body(response);
      return new Answer(response.getStatus(), response.getStatusInfo(), mimeType, body,
          Headers.lowerCase(response.getAllHeaders()), outcome(context, mimeType, body));
    } finally {
      response.close();
    }
  }

  /**
   * Reads a {@code java.net.http} answer (its body up to {@code maxBody} characters as UTF-8) and
   * closes its body.
   */
  public static Answer read(HttpResponse<InputStream> response, FhirContext context, int maxBody) {
    String body;
    try (InputStream in = response.body()) {
      body = new String(in.readNBytes(maxBody), StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.debug("The body of a failed answer could not be read", e);
      body = null;
    }
    String mimeType = response.headers().firstValue("Content-Type")
        .map(type -> type.replaceFirst(";.*", "").strip()).orElse(null);
    return new Answer(response.statusCode(), "", mimeType, body,
        Headers.lowerCase(response.headers().map()), outcome(context, mimeType, body));
  }

  /** The first value of header {@code name}, or {@code null}. */
  public String header(String name) {
    return Headers.first(headers, name);
  }

  private static String body(IHttpResponse response) {
    try (Reader reader = response.createReader()) {
      StringWriter text = new StringWriter();
      reader.transferTo(text);
      return text.toString();
    } catch (IOException | RuntimeException e) {
      LOG.debug("The body of a failed answer could not be read", e);
      return null;
    }
  }

  /** The OperationOutcome in {@code body}, as HAPI's client reads it; {@code null} if none. */
  static IBaseOperationOutcome outcome(FhirContext context, String mimeType, String body) {
    EncodingEnum encoding = mimeType == null ? null : EncodingEnum.forContentType(mimeType);
    if (encoding == null || body == null || context == null) {
      return null;
    }
    try {
      return encoding.newParser(context).parseResource(body) instanceof IBaseOperationOutcome oo
          ? oo : null;
    } catch (RuntimeException e) {
      LOG.debug("A failed answer's body is not an OperationOutcome", e);
      return null;
    }
  }
}
