package dev.fhirguard.spring.testing;

import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application as a new user writes it: a HAPI {@code RestfulServer} registered at
 * {@code /fhir/*}, a Spring MVC controller, and the starter on the classpath; fhirguard is
 * configured by {@code fhir-app.yml} only. A filter in front of fhirguard's ({@code /early/*})
 * makes errors fhirguard's filter never sees, which reach the container's error page.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(FhirApp.Api.class)
public class FhirApp {

  @Bean
  public ServletRegistrationBean<RestfulServer> fhirServlet() {
    ServletRegistrationBean<RestfulServer> registration =
        new ServletRegistrationBean<>(new PatientServer(), "/fhir/*");
    registration.setLoadOnStartup(1); // HAPI starts with the application, not on a request
    return registration;
  }

  @Bean
  public FilterRegistrationBean<Filter> earlyFilter() {
    FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
        (request, response, chain) -> {
          String path = ((HttpServletRequest) request).getRequestURI();
          if (path.equals("/early/throw")) {
            throw new ServletException("early failure: " + PatientServer.SECRET_FAILURE);
          } else if (path.startsWith("/early/status/")) {
            ((HttpServletResponse) response).sendError(
                Integer.parseInt(path.substring("/early/status/".length())));
          } else {
            chain.doFilter(request, response);
          }
        });
    registration.addUrlPatterns("/early/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /** Starts the application with the configuration {@code fhir-app.yml} and {@code args}. */
  public static ConfigurableApplicationContext start(String... args) {
    return builder().run(args);
  }

  /** A builder for the application: its configuration and the test key file. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(FhirApp.class)
        .properties("spring.config.name=fhir-app",
            "fhirguard.auth.public-key-file=" + Tokens.publicKeyFile());
  }

  /** Plain Spring MVC endpoints beside the FHIR server. */
  @RestController
  public static class Api {

    private static final Logger LOG = LoggerFactory.getLogger(Api.class);

    @GetMapping("/api/hello")
    public String hello() {
      LOG.info("hello from the api");
      return "hello";
    }

    @GetMapping("/api/boom")
    public String boom() {
      throw new IllegalStateException(PatientServer.SECRET_FAILURE);
    }

    @GetMapping("/api/bad")
    public ResponseEntity<Map<String, String>> bad() {
      return ResponseEntity.badRequest().body(Map.of("error", "the parameter x is missing"));
    }
  }
}
