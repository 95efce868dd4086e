package dev.fhirguard;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * An error a servlet container raised outside the filter chain (a request it could not parse, an
 * error before or after the filter), described independently of the container's API, for {@link
 * FhirGuard#answer(ContainerError)}. The seam a container adapter uses: the Jetty adapter in
 * {@code dev.fhirguard.jetty} builds one from Jetty's request; a Tomcat or Undertow adapter would
 * do the same from its own.
 *
 * @param unparsed the container could not parse the request at all
 * @param method the request method, or {@code null} when unknown
 * @param path the path, without the query string, or {@code null} when unknown
 * @param query the query string, or {@code null}
 * @param header looks up a request header by name; returns {@code null} when absent
 * @param attribute looks up a request attribute by name; returns {@code null} when absent
 * @param status the status the container chose (below 400 means 500)
 * @param message the container's text, or {@code null}; shown to clients for client errors only
 * @param cause the exception, or {@code null}; it is classified as an error in the chain would be
 * @param responseHeader looks up a header already on the response (an {@code Allow}, a {@code
 *     WWW-Authenticate}); returns {@code null} when absent
 */
public record ContainerError(
    boolean unparsed,
    String method,
    String path,
    String query,
    UnaryOperator<String> header,
    Function<String, Object> attribute,
    int status,
    String message,
    Throwable cause,
    UnaryOperator<String> responseHeader) {

  public ContainerError {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(responseHeader, "responseHeader");
  }
}
