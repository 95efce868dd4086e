/**
 * Cluster mode: what the replicas of one FHIR server share through a store such as Redis (the
 * {@code fhirguard-redis} module), namely rate-limit buckets, bulk export slots and poll pace, and
 * the maintenance switch. A store is found with {@link java.util.ServiceLoader} ({@link
 * dev.fhirguard.cluster.ClusterStoreProvider}) and opened with {@link
 * dev.fhirguard.cluster.ClusterStore#open(ClusterSettings)}. A store never fails a request
 * because the shared store fails: it falls back to limits of its own replica until the shared
 * store is back.
 */
package dev.fhirguard.cluster;
