/**
 * Not API; may change without notice. The typed settings registry: every {@code fhirguard.*} key,
 * its loading, checks and resolved values ({@code GuardSettings} per area); imports only {@code
 * text}.
 */
package dev.fhirguard.internal.config;
