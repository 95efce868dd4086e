package dev.fhirguard.spring;

import dev.fhirguard.FhirGuard;

/**
 * Adjusts the {@link FhirGuard.Builder} of the auto-configured guard before it is built, e.g. to
 * map a backend client's exceptions: {@code builder -> builder.upstreamFailure(EhrDownException.class,
 * ErrorCode.UPSTREAM_UNREACHABLE)}. Every such bean is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface FhirGuardBuilderCustomizer {

  void customize(FhirGuard.Builder builder);
}
