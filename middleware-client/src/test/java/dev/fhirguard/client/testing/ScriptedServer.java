package dev.fhirguard.client.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Some other FHIR server (no fhirguard) on 127.0.0.1 that gives the answers a test scripts, in
 * order, and records the requests it got.
 */
public final class ScriptedServer implements AutoCloseable {

  /** One scripted answer. */
  public record Reply(int status, String contentType, String body, Map<String, String> headers) {}

  /** One request received: method, X-Request-ID, body. */
  public record Received(String method, String requestId, String body) {}

  private static final Reply PATIENT = new Reply(200, "application/fhir+json",
      "{\"resourceType\":\"Patient\",\"id\":\"1\"}", Map.of());

  private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);

  private ScriptedServer() {}

  public static ScriptedServer start() throws Exception {
    ScriptedServer scripted = new ScriptedServer();
    scripted.connector.setHost("127.0.0.1");
    scripted.server.addConnector(scripted.connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(scripted.new Answering()), "/fhir/*");
    scripted.server.setHandler(context);
    scripted.server.start();
    return scripted;
  }

  /** Answers the next requests with {@code replies}, then with a Patient. */
  public ScriptedServer answer(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  /** A failure with an OperationOutcome (no catalog coding) and {@code headers}. */
  public static Reply failure(int status, Map<String, String> headers) {
    return new Reply(status, "application/fhir+json", "{\"resourceType\":\"OperationOutcome\","
        + "\"issue\":[{\"severity\":\"error\",\"code\":\"transient\",\"diagnostics\":\"Busy.\"}]}",
        headers);
  }

  public String fhirBase() {
    return "http://127.0.0.1:" + connector.getLocalPort() + "/fhir";
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Stops listening: the next request is refused at the TCP level. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the scripted server did not stop: " + e, e);
    }
  }

  private final class Answering extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      received.add(new Received(request.getMethod(), request.getHeader("X-Request-ID"),
          new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8)));
      Reply reply = script.isEmpty() ? PATIENT : script.poll();
      response.setStatus(reply.status());
      reply.headers().forEach(response::setHeader);
      response.setContentType(reply.contentType());
      response.getWriter().write(reply.body());
    }
  }
}
