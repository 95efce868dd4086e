package dev.fhirguard.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * A {@code java.net.http} client for one server on {@code 127.0.0.1}: requests with a 20 s timeout,
 * bodies read as text. Also sends raw bytes through {@link RawHttp} for requests that {@code
 * HttpClient} refuses to send.
 */
public abstract class Http {

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final HttpResponse.BodyHandler<String> bodies;

  /**
   * @param bodyCharset how response bodies are decoded; null for the charset of their Content-Type
   *     (UTF-8 when it names none)
   */
  protected Http(Charset bodyCharset) {
    this.bodies = bodyCharset == null
        ? HttpResponse.BodyHandlers.ofString()
        : HttpResponse.BodyHandlers.ofString(bodyCharset);
  }

  /** A client for whatever {@code port} says when a request is sent. */
  public static Http to(IntSupplier port) {
    return new Http(null) {
      @Override
      public int port() {
        return port.getAsInt();
      }
    };
  }

  /** The port on 127.0.0.1 the server listens on. */
  public abstract int port();

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  /** GET with optional header name/value pairs. */
  public HttpResponse<String> get(String pathAndQuery, String... headers) {
    return send("GET", pathAndQuery, null, headers);
  }

  /** Any method, optional body (null for none) and header name/value pairs. */
  public HttpResponse<String> send(
      String method, String pathAndQuery, String body, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri(pathAndQuery))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    try {
      return sendOnce(builder.build());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends once more when a pooled keep-alive connection turns out to have been closed by the
   * server meanwhile (after a 405 with an unread body, say): the JDK client retries that only for
   * GET, and the request never reached the server.
   */
  private HttpResponse<String> sendOnce(HttpRequest request)
      throws IOException, InterruptedException {
    try {
      return client.send(request, bodies);
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("received no bytes")) {
        return client.send(request, bodies);
      }
      throw e;
    }
  }

  /** Sends {@code request} one byte per char: see {@link RawHttp#exchange(int, String)}. */
  public RawHttp.Response raw(String request) {
    return RawHttp.exchange(port(), request);
  }

  /** Sends {@code request} exactly as given: see {@link RawHttp#exchange(int, byte[])}. */
  public RawHttp.Response raw(byte[] request) {
    return RawHttp.exchange(port(), request);
  }

  /** A raw GET with {@code Connection: close} and these header lines: see {@link RawHttp#get}. */
  public RawHttp.Response rawGet(String target, String... headerLines) {
    return raw(RawHttp.get(target, headerLines));
  }
}
