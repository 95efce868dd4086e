package dev.fhirguard.sample;

import java.util.Map;

/**
 * The end-to-end benchmark's way to the sample without fhirguard, which the sample keeps
 * package-private: a benchmark baseline is no part of the sample's public surface.
 */
public final class UnguardedSample {

  private UnguardedSample() {}

  /**
   * The sample's server, contexts, servlets and data with no fhirguard filter, interceptor or
   * error handlers, on {@code host} and {@code port} (0 for an ephemeral port).
   */
  public static SampleServer start(String host, int port, Map<String, String> settings) {
    return SampleServer.startWithoutFhirguard(host, port, settings);
  }
}
