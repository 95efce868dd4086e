/**
 * Not API; may change without notice. Bearer tokens (JWT, introspection, plugged-in verifiers),
 * client addresses and SMART scopes, in the filter and in the HAPI interceptor.
 */
package dev.fhirguard.internal.auth;
