package dev.fhirguard.spring;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.metrics.FhirGuardMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Micrometer and a {@link MeterRegistry} bean (Boot's Actuator makes one): the guard's
 * {@link FhirGuardMetrics}, registered as its listener and bound to it once every bean is made.
 * Define a {@code FhirGuardMetrics} bean to use another registry.
 */
@AutoConfiguration(afterName = "org.springframework.boot.actuate.autoconfigure.metrics"
        + ".CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({MeterRegistry.class, FhirGuard.class})
@ConditionalOnBean(MeterRegistry.class)
public class FhirGuardMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public FhirGuardMetrics fhirGuardMetrics(MeterRegistry registry) {
    return new FhirGuardMetrics(registry);
  }

  @Bean
  public FhirGuardBuilderCustomizer fhirGuardMetricsListener(FhirGuardMetrics metrics) {
    return builder -> builder.listener(metrics);
  }

  /** Binds the gauges once the guard exists (it needs the listener first). */
  @Bean
  public SmartInitializingSingleton fhirGuardMetricsBinding(FhirGuardMetrics metrics,
      ObjectProvider<FhirGuard> guard) {
    return () -> guard.ifAvailable(metrics::bindTo);
  }
}
