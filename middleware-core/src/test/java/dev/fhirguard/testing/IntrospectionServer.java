package dev.fhirguard.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real RFC 7662 token introspection endpoint on 127.0.0.1: it insists on HTTP Basic
 * credentials (RFC 6749 §2.3.1: id and secret form-encoded, then Base64), answers {@code
 * {"active":false}} for unknown tokens and the registered answer for known ones, and counts and
 * records what it is sent.
 */
public final class IntrospectionServer implements AutoCloseable {

  public static final String PATH = "/oauth2/introspect";

  private final HttpServer server;
  private final String clientId;
  private final String clientSecret;
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private volatile Map<String, String> lastForm = Map.of();
  private volatile String lastContentType;

  private IntrospectionServer(String clientId, String clientSecret) throws IOException {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(PATH, this::answer);
    server.start();
  }

  /** An endpoint that accepts only these credentials. */
  public static IntrospectionServer start(String clientId, String clientSecret) {
    try {
      return new IntrospectionServer(clientId, clientSecret);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  /** Answers {@code json} (the whole introspection response) when asked about {@code token}. */
  public void answer(String token, String json) {
    answers.put(token, json);
  }

  public int requests() {
    return requests.get();
  }

  /** The form parameters of the last well-authenticated request. */
  public Map<String, String> lastForm() {
    return lastForm;
  }

  public String lastContentType() {
    return lastContentType;
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "{\"error\":\"invalid_request\"}");
        return;
      }
      if (!credentialsMatch(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"introspection\"");
        send(exchange, 401, "{\"error\":\"invalid_client\"}");
        return;
      }
      lastContentType = exchange.getRequestHeaders().getFirst("Content-Type");
      Map<String, String> form = form(
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      lastForm = form;
      send(exchange, 200, answers.getOrDefault(form.getOrDefault("token", ""), "{\"active\":false}"));
    }
  }

  private boolean credentialsMatch(String header) {
    if (header == null || !header.startsWith("Basic ")) {
      return false;
    }
    String pair;
    try {
      pair = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = pair.indexOf(':');
    return colon > 0
        && clientId.equals(URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8))
        && clientSecret.equals(URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8));
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
