package dev.fhirguard.benchmarks;

/**
 * What one scenario did in one timed round.
 *
 * @param mismatches responses that were not as expected (status, content type or body)
 * @param failures requests that got no complete response (connection closed, I/O error)
 * @param firstMismatch the first unexpected response, shortened, or {@code null}
 * @param serverCpuNanos CPU time the server JVM used during the round, all its threads; 0 when
 *     unknown
 * @param clientCpuNanos CPU time the load generator's JVM used during the round; 0 when unknown
 */
record Round(String scenario, long requests, long mismatches, long failures, double seconds,
    long p50Nanos, long p99Nanos, long meanNanos, String firstMismatch, long serverCpuNanos,
    long clientCpuNanos) {

  /** This round with the CPU times of the two JVMs. */
  Round withCpu(long serverNanos, long clientNanos) {
    return new Round(scenario, requests, mismatches, failures, seconds, p50Nanos, p99Nanos,
        meanNanos, firstMismatch, serverNanos, clientNanos);
  }

  /** Server CPU time per request, in microseconds. */
  double serverMicrosPerRequest() {
    return serverCpuNanos / 1e3 / requests;
  }

  /** Load generator CPU time per request, in microseconds. */
  double clientMicrosPerRequest() {
    return clientCpuNanos / 1e3 / requests;
  }

  double throughput() {
    return requests / seconds;
  }

  /** Whether every request got the expected response. */
  boolean clean() {
    return mismatches == 0 && failures == 0 && requests > 0;
  }
}
