package dev.fhirguard.testing;

import dev.fhirguard.UpstreamException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * How an application calls its {@link Backend}: {@code java.net.http} with a request timeout, and
 * the backend's error statuses turned into {@link UpstreamException}s. Connection failures and
 * timeouts are left as the HTTP client throws them.
 */
public final class BackendClient {

  /** The upstream name the tests configure. */
  public static final String UPSTREAM = "records";

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Backend backend;
  private final Duration timeout;

  public BackendClient(Backend backend, Duration timeout) {
    this.backend = backend;
    this.timeout = timeout;
  }

  /** The backend's body for {@code /records}. */
  public String fetch() throws IOException, InterruptedException {
    return fetch(Map.of());
  }

  /** The backend's body for {@code /records}, asked with {@code headers}. */
  public String fetch(Map<String, String> headers) throws IOException, InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(backend.url("/records"))).timeout(timeout);
    headers.forEach(builder::header);
    HttpRequest request = builder.build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    int status = response.statusCode();
    if (status == 503 || status == 501) {
      Duration retryAfter = response.headers().firstValue("Retry-After")
          .map(seconds -> Duration.ofSeconds(Long.parseLong(seconds.trim()))).orElse(null);
      throw new UpstreamException(UPSTREAM, status, retryAfter, null);
    }
    if (status >= 500) {
      throw new UpstreamException(UPSTREAM, 502, null,
          new IOException("backend answered " + status + ": " + response.body()));
    }
    return response.body();
  }
}
