package dev.fhirguard.cluster;

import java.time.Instant;

/**
 * Where a cluster store stands, for a health endpoint or a log line.
 *
 * @param shared whether decisions go to the shared store now; false while it is unreachable and
 *     this replica decides with its own fallback limits
 * @param endpoint the shared store, its password masked
 * @param sharedCalls calls answered by the shared store since start
 * @param fallbackCalls calls answered by this replica's fallback since start (the shared store
 *     failed, or its circuit breaker was open)
 * @param failedCalls calls to the shared store that failed or timed out since start
 * @param since when {@code shared} last changed (the start, at first)
 * @param lastFailure the last failure as one line without secrets, or {@code null}
 */
public record ClusterStatus(boolean shared, String endpoint, long sharedCalls, long fallbackCalls,
    long failedCalls, Instant since, String lastFailure) {}
