package dev.fhirguard.benchmarks;

/**
 * What one scenario did in one timed round.
 *
 * @param mismatches responses that were not as expected (status, content type or body)
 * @param failures requests that got no complete response (connection closed, I/O error)
 * @param firstMismatch the first unexpected response, shortened, or {@code null}
 */
record Round(String scenario, long requests, long mismatches, long failures, double seconds,
    long p50Nanos, long p99Nanos, long meanNanos, String firstMismatch) {

  double throughput() {
    return requests / seconds;
  }

  /** Whether every request got the expected response. */
  boolean clean() {
    return mismatches == 0 && failures == 0 && requests > 0;
  }
}
