package dev.fhirguard.internal.upstream;

import java.time.Duration;

/** The thresholds of one upstream's circuit breaker. */
record CircuitPolicy(
    int failureRate,
    int slowCallRate,
    Duration slowCallDuration,
    Duration waitInOpenState,
    int slidingWindowSize,
    int minimumCalls,
    int halfOpenCalls) {}
