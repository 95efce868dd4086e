package dev.fhirguard.spring;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.spring.internal.MaintenanceEndpoint;
import dev.fhirguard.spring.internal.MaintenanceHealthIndicator;
import dev.fhirguard.spring.internal.SettingsInfoContributor;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot Actuator: the health contributor {@code fhirguard} ({@code OUT_OF_SERVICE}
 * in maintenance), the effective settings in {@code /actuator/info} (secrets masked), and the
 * {@code fhirguard} endpoint that reads and switches maintenance. Each can be switched off with
 * Boot's properties: {@code management.health.fhirguard.enabled}, {@code
 * management.info.fhirguard.enabled}, {@code management.endpoint.fhirguard.access}.
 */
@AutoConfiguration(after = FhirGuardAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(FhirGuard.class)
public class FhirGuardActuatorAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "fhirguardHealthIndicator")
  @ConditionalOnEnabledHealthIndicator("fhirguard")
  public MaintenanceHealthIndicator fhirguardHealthIndicator(FhirGuard guard) {
    return new MaintenanceHealthIndicator(guard);
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnEnabledInfoContributor("fhirguard")
  public SettingsInfoContributor fhirguardInfoContributor(FhirGuardConfig config) {
    return new SettingsInfoContributor(config);
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  public MaintenanceEndpoint fhirguardEndpoint(FhirGuard guard) {
    return new MaintenanceEndpoint(guard);
  }
}
