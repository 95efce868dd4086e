package dev.fhirguard.demo.backend;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fhirguard.sample.ObservationProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;

/**
 * The demo "EHR": a second HTTP server (the JDK's) on its own loopback port that serves the
 * sample's Observations as FHIR JSON ({@code /Observation/<id>}, {@code
 * /Observation?subject=...&patient=...}) and misbehaves as its {@link BackendMode} says. Started
 * and stopped with the sample's servlet context.
 */
final class ObservationBackend extends AbstractLifeCycle {

  private final ObservationProvider data = new ObservationProvider();
  private final FhirContext fhir = FhirContext.forR4Cached();
  private final Duration slowDelay;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "observation-backend");
    thread.setDaemon(true);
    return thread;
  });
  private volatile BackendMode mode = BackendMode.UP;
  private HttpServer server;
  private volatile int port;

  ObservationBackend(Duration slowDelay) {
    this.slowDelay = slowDelay;
  }

  @Override
  protected synchronized void doStart() throws IOException {
    open(0);
  }

  @Override
  protected synchronized void doStop() {
    close();
    threads.shutdownNow();
  }

  /** The loopback port; the same across DOWN and back. */
  int port() {
    return port;
  }

  BackendMode mode() {
    return mode;
  }

  /** Switches the behaviour: DOWN closes the port, any other mode opens it again. */
  synchronized void switchTo(BackendMode next) throws IOException {
    if (next == BackendMode.DOWN) {
      close();
    } else if (server == null) {
      open(port);
    }
    mode = next;
  }

  private void open(int wanted) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 50);
    server.setExecutor(threads);
    server.createContext("/Observation", this::answer);
    server.start();
    port = server.getAddress().getPort();
  }

  private void close() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      switch (mode) {
        case SLOW -> {
          pause();
          serve(exchange);
        }
        case UNAVAILABLE -> {
          exchange.getResponseHeaders().set("Retry-After", "120");
          send(exchange, 503, "text/plain", "EHR node ehr-db-1.internal:5432 in maintenance");
        }
        case NOT_SUPPORTED -> send(exchange, 501, "text/plain",
            "Failed to call GetObservation: No instance for action GetObservation");
        case ERROR -> send(exchange, 500, "text/plain",
            "java.sql.SQLException: connection to ehr-db-1.internal:5432 lost");
        default -> serve(exchange);
      }
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String id = path.startsWith("/Observation/") ? path.substring("/Observation/".length()) : "";
    try {
      String json = id.isEmpty()
          ? fhir.newJsonParser().encodeResourceToString(search(exchange.getRequestURI().getRawQuery()))
          : fhir.newJsonParser().encodeResourceToString(data.read(new IdType("Observation", id)));
      send(exchange, 200, "application/fhir+json", json);
    } catch (ResourceNotFoundException e) {
      send(exchange, 404, "text/plain", "no such Observation");
    }
  }

  private Bundle search(String rawQuery) {
    Map<String, String> query = parse(rawQuery);
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    for (Observation observation : data.search(reference(query.get("subject")),
        reference(query.get("patient")))) {
      bundle.addEntry().setResource(observation);
    }
    return bundle;
  }

  private static ReferenceParam reference(String value) {
    return value == null ? null : new ReferenceParam(value);
  }

  private static Map<String, String> parse(String rawQuery) {
    Map<String, String> values = new HashMap<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }

  private void pause() {
    try {
      Thread.sleep(slowDelay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
