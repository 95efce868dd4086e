package dev.fhirguard.benchmarks;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.jetty.FhirGuardJetty;
import dev.fhirguard.sample.SampleApplication;
import dev.fhirguard.sample.SampleServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The four sample servers the end-to-end benchmark measures, in one JVM on 127.0.0.1: the
 * sample without fhirguard ({@code bare}), the sample as configured with limits that a benchmark
 * does not reach ({@code guarded}, with its meters: the sample's wiring registers {@code
 * FhirGuardMetrics}), the same without the meters ({@code unmetered}), and the same with a
 * per-address limit of one request an hour ({@code shedding}), for the refusal a flood really
 * meets.
 *
 * <p>{@code main(portsFile)} starts them, writes their ports to {@code portsFile} and serves until
 * the JVM is stopped; the benchmark spawns it in its own JVM.
 */
public final class EndToEndServers implements AutoCloseable {

  static final String HOST = "127.0.0.1";

  /** The demo client whose reads are measured; its scope is system/Patient.r. */
  static final String READER = "patient-reader";
  static final String READER_SECRET = "patient-reader-secret";

  /** The demo client whose bucket (one request an hour here) is emptied for the 429. */
  static final String DRAINED = "writer";
  static final String DRAINED_SECRET = "writer-secret";

  private final SampleServer bare;
  private final SampleServer guarded;
  private final SampleServer shedding;
  private final SampleServer unmetered;

  private EndToEndServers(SampleServer bare, SampleServer guarded, SampleServer shedding,
      SampleServer unmetered) {
    this.bare = bare;
    this.guarded = guarded;
    this.shedding = shedding;
    this.unmetered = unmetered;
  }

  /** Starts the four servers on ephemeral ports. */
  public static EndToEndServers start() {
    List<SampleServer> started = new ArrayList<>();
    try {
      started.add(startBare(guardedSettings()));
      started.add(SampleServer.start(HOST, 0, guardedSettings()));
      started.add(SampleServer.start(HOST, 0, sheddingSettings()));
      started.add(startUnmetered(guardedSettings()));
      return new EndToEndServers(started.get(0), started.get(1), started.get(2), started.get(3));
    } catch (RuntimeException e) {
      started.forEach(SampleServer::stop);
      throw e;
    }
  }

  /**
   * The sample behind fhirguard as {@code FhirServerWiring} puts it, but without its meters: no
   * listener, so every event is dropped at once ({@code GuardEvents.any()}).
   */
  static SampleServer startUnmetered(Map<String, String> settings) {
    return SampleServer.start(HOST, 0, (server, publicBase) -> {
      SampleApplication app = SampleApplication.create(publicBase, settings);
      FhirGuard guard = FhirGuard.create(app.config());
      app.fhirServer().registerInterceptor(guard.interceptor());
      ServletContextHandler context = app.context(guard);
      FhirGuardJetty.install(server, context, guard);
      return app.handler(context);
    });
  }

  /**
   * The sample's {@link SampleApplication} with no fhirguard filter, interceptor or error handlers:
   * the guard is built only for the demo parts that call it (the backend's upstream calls, the
   * export's answers, the maintenance switch), as in the guarded servers. It also serves {@link
   * ReplayedRefusal}, the floor of a 429.
   */
  static SampleServer startBare(Map<String, String> settings) {
    return SampleServer.start(HOST, 0, (server, publicBase) -> {
      SampleApplication app = SampleApplication.create(publicBase, settings);
      ServletContextHandler context = app.context(FhirGuard.create(app.config()));
      context.addServlet(new ServletHolder(new ReplayedRefusal()), ReplayedRefusal.PATH);
      return app.handler(context);
    });
  }

  /**
   * Over the sample's own configuration: every limit high enough never to be reached (the
   * largest capacity, per minute), except the drained client's: one request an hour.
   */
  static Map<String, String> guardedSettings() {
    Map<String, String> settings = new HashMap<>();
    settings.put("fhirguard.rate-limit.capacity", "1000000000");
    settings.put("fhirguard.address-limit.capacity", "1000000000");
    settings.put("fhirguard.clients." + DRAINED + ".rate-limit.capacity", "1");
    settings.put("fhirguard.clients." + DRAINED + ".rate-limit.period", "1h");
    return settings;
  }

  /** As {@link #guardedSettings()}, but each address may send one request an hour. */
  static Map<String, String> sheddingSettings() {
    Map<String, String> settings = guardedSettings();
    settings.put("fhirguard.address-limit.capacity", "1");
    settings.put("fhirguard.address-limit.period", "1h");
    return settings;
  }

  /** The ports, as {@link Ports}. */
  public Ports ports() {
    return new Ports(bare.port(), guarded.port(), shedding.port(), unmetered.port());
  }

  @Override
  public void close() {
    bare.stop();
    guarded.stop();
    shedding.stop();
    unmetered.stop();
  }

  /** Starts the servers, writes {@code bare=… guarded=… shedding=… unmetered=…} to {@code args[0]}, serves. */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 1) {
      System.err.println("Usage: EndToEndServers <ports file>");
      System.exit(2);
    }
    EndToEndServers servers = start();
    Runtime.getRuntime().addShutdownHook(new Thread(servers::close, "servers-shutdown"));
    Path target = Path.of(args[0]);
    Path written = Files.writeString(target.resolveSibling(target.getFileName() + ".tmp"),
        servers.ports().line(), StandardCharsets.US_ASCII);
    Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("End-to-end servers on " + HOST + ": " + servers.ports().line());
    servers.guarded.join();
  }

  /** Where the four servers listen. */
  public record Ports(int bare, int guarded, int shedding, int unmetered) {

    String line() {
      return "bare=" + bare + " guarded=" + guarded + " shedding=" + shedding + " unmetered="
          + unmetered;
    }

    static Ports parse(String line) {
      Map<String, Integer> ports = new HashMap<>();
      for (String pair : line.trim().split(" ")) {
        String[] nameAndPort = pair.split("=", 2);
        ports.put(nameAndPort[0], Integer.parseInt(nameAndPort[1]));
      }
      return new Ports(ports.get("bare"), ports.get("guarded"), ports.get("shedding"),
          ports.get("unmetered"));
    }
  }
}
