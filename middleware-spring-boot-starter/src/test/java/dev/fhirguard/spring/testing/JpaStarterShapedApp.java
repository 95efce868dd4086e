package dev.fhirguard.spring.testing;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * An application shaped like the HAPI JPA starter (hapi-fhir-jpaserver-starter 8.8): its {@code
 * RestfulServer} is a bean, built by a method that registers each class named in {@code
 * hapi.fhir.custom-interceptor-classes} (the bean of that class when the context has one, else a
 * new instance from its no-arg constructor, as {@code StarterJpaConfig.registerCustomInterceptors}
 * does), and a {@code ServletRegistrationBean} maps it at {@code /fhir/*}. The JPA layer itself is
 * left out: it adds nothing fhirguard sees. fhirguard comes with the dependency and {@code
 * jpa-app.yml} only.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class JpaStarterShapedApp {

  @Bean
  public RestfulServer restfulServer(ApplicationContext context, Environment environment)
      throws ReflectiveOperationException {
    RestfulServer server = new PatientServer();
    List<String> classNames = environment.getProperty(
        "hapi.fhir.custom-interceptor-classes", List.class, List.of());
    for (String className : classNames) {
      Class<?> type = Class.forName(className);
      Object interceptor;
      try {
        interceptor = context.getBean(type);
      } catch (NoSuchBeanDefinitionException e) {
        interceptor = type.getConstructor().newInstance();
      }
      server.registerInterceptor(interceptor);
    }
    return server;
  }

  @Bean
  public ServletRegistrationBean<RestfulServer> hapiServletRegistration(RestfulServer server) {
    ServletRegistrationBean<RestfulServer> registration =
        new ServletRegistrationBean<>(server, "/fhir/*");
    registration.setLoadOnStartup(1);
    return registration;
  }

  /** A builder for the application with the configuration {@code jpa-app.yml}. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(JpaStarterShapedApp.class)
        .properties("spring.config.name=jpa-app",
            "fhirguard.auth.public-key-file=" + Tokens.publicKeyFile());
  }
}
