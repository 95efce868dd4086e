package dev.fhirguard;

import dev.fhirguard.cluster.ClusterStatus;

/**
 * What a guard is doing at one moment, from {@link FhirGuard#status()}: for gauges and health
 * checks. Taking one costs no I/O.
 *
 * @param requestsInFlight requests in the guard's filter that are not finished (an async request
 *     until its async cycle ends); ERROR dispatches are not counted again
 * @param activeExports bulk export slots held on this replica by kick-offs and running jobs; 0
 *     when no export limit is set ({@code fhirguard.export.*})
 * @param maintenance whether maintenance mode is on (by the API, a setting, the maintenance file
 *     or the cluster's switch)
 * @param cluster where the cluster store stands, or {@code null} when cluster mode is off
 */
public record GuardStatus(
    long requestsInFlight, int activeExports, boolean maintenance, ClusterStatus cluster) {}
