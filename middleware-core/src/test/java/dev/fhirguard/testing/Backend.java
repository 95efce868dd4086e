package dev.fhirguard.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real backend on {@code 127.0.0.1} (the JDK HTTP server) whose behaviour tests switch at run
 * time: {@link Mode#DOWN} closes its port; the others answer every request as they say.
 */
public final class Backend implements AutoCloseable {

  /** What the backend does with each request. */
  public enum Mode {
    /** 200 with a small JSON body. */
    UP,
    /** The port is closed: connections are refused. */
    DOWN,
    /** Answers 200 after {@link #slowDelay()}. */
    SLOW,
    /** 503 with {@code Retry-After: 120}. */
    UNAVAILABLE,
    /** 501: the backend has no implementation for the action. */
    NOT_SUPPORTED,
    /** 500 with an internal message naming a host and a class. */
    ERROR
  }

  /** The backend's 500 body, full of what must never reach a client. */
  public static final String INTERNAL_TEXT =
      "java.lang.IllegalStateException: db-7.ehr.internal:5432 refused at com.acme.Ehr.get";

  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "test-backend");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Map<String, List<String>>> received = new CopyOnWriteArrayList<>();
  private final Duration slowDelay;
  private volatile Mode mode = Mode.UP;
  private HttpServer server;
  private int port;

  private Backend(Duration slowDelay) {
    this.slowDelay = slowDelay;
  }

  /** Starts a backend that is up; SLOW answers after {@code slowDelay}. */
  public static Backend start(Duration slowDelay) {
    Backend backend = new Backend(slowDelay);
    backend.open(0);
    return backend;
  }

  /** Switches the behaviour; DOWN closes the port, any other mode reopens it. */
  public synchronized Backend mode(Mode next) {
    if (next == Mode.DOWN && server != null) {
      server.stop(0);
      server = null;
    } else if (next != Mode.DOWN && server == null) {
      open(port);
    }
    mode = next;
    return this;
  }

  public int port() {
    return port;
  }

  /** The URL of {@code path} on this backend. */
  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** Requests answered so far (a refused connection is no request). */
  public int requests() {
    return requests.get();
  }

  /** The headers of every request answered so far, in order (names in lower case). */
  public List<Map<String, List<String>>> receivedHeaders() {
    return List.copyOf(received);
  }

  public Duration slowDelay() {
    return slowDelay;
  }

  private void open(int wanted) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext("/", this::answer);
    server.start();
    port = server.getAddress().getPort();
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    Map<String, List<String>> headers = new TreeMap<>();
    exchange.getRequestHeaders().forEach(
        (name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    received.add(headers);
    try (exchange) {
      switch (mode) {
        case SLOW -> {
          pause();
          send(exchange, 200, "{\"ok\":true}");
        }
        case UNAVAILABLE -> {
          exchange.getResponseHeaders().set("Retry-After", "120");
          send(exchange, 503, "maintenance on db-7.ehr.internal");
        }
        case NOT_SUPPORTED -> send(exchange, 501, "No instance for action GetAllergy");
        case ERROR -> send(exchange, 500, INTERNAL_TEXT);
        default -> send(exchange, 200, "{\"ok\":true}");
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(slowDelay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
    threads.shutdownNow();
  }
}
