package dev.fhirguard.sample;

import java.util.HashMap;
import java.util.Map;

/**
 * A sample replica in a JVM of its own, for {@link ClusterSampleTest}: starts on 127.0.0.1 with
 * the {@code key=value} settings of its arguments, prints {@code PORT=<port>} and runs until its
 * process is destroyed.
 */
public final class ReplicaMain {

  private ReplicaMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> settings = new HashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      settings.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    SampleServer server = SampleServer.start("127.0.0.1", 0, settings);
    System.out.println("PORT=" + server.port());
    System.out.flush();
    server.join();
  }
}
