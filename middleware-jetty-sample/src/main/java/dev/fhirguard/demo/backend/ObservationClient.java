package dev.fhirguard.demo.backend;

import dev.fhirguard.UpstreamException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Calls the {@link ObservationBackend} over HTTP with a request timeout. An error status becomes
 * an {@link UpstreamException} (503 keeps the backend's {@code Retry-After}); refused connections
 * and timeouts are left as the HTTP client throws them, for fhirguard to classify.
 */
final class ObservationClient {

  /** The upstream's name in fhirguard's settings ({@code fhirguard.upstreams.observations.*}). */
  static final String UPSTREAM = "observations";

  private final HttpClient client;
  private final IntSupplier port;
  private final Duration timeout;

  ObservationClient(IntSupplier port, Duration timeout) {
    this.port = port;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The JSON body at {@code pathAndQuery}, or empty when the backend answers 404. */
  Optional<String> get(String pathAndQuery) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + port.getAsInt() + pathAndQuery);
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(uri).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    int status = response.statusCode();
    if (status == 404) {
      return Optional.empty();
    }
    if (status == 501 || status == 503) {
      throw new UpstreamException(UPSTREAM, status, retryAfter(response), null);
    }
    if (status >= 300) {
      throw new UpstreamException(UPSTREAM, 502, null,
          new IOException("backend answered " + status + ": " + response.body()));
    }
    return Optional.of(response.body());
  }

  /** A {@code Retry-After} in seconds (the backend never sends an HTTP date). */
  private static Duration retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After")
        .filter(value -> value.trim().matches("\\d{1,9}"))
        .map(value -> Duration.ofSeconds(Long.parseLong(value.trim())))
        .orElse(null);
  }
}
