package dev.fhirguard.spring;

import static dev.fhirguard.spring.testing.Outcomes.assertOutcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ca.uhn.fhir.rest.server.RestfulServer;
import dev.fhirguard.FhirGuardInterceptor;
import dev.fhirguard.spring.testing.JpaStarterShapedApp;
import dev.fhirguard.spring.testing.Raw;
import dev.fhirguard.spring.testing.Tokens;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * fhirguard in an application shaped like the HAPI JPA starter, with the dependency and
 * properties only: the interceptor named in {@code hapi.fhir.custom-interceptor-classes} is the
 * starter's bean, and it is registered exactly once whether or not it is named there.
 */
class JpaStarterShapedTest {

  @Test
  void the_interceptor_named_in_the_starter_property_is_the_bean_registered_once() {
    try (ConfigurableApplicationContext app = JpaStarterShapedApp.builder().run()) {
      assertSame(app.getBean(FhirGuardInterceptor.class), theOnlyGuardInterceptor(app));
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      assertOutcome(Raw.send(port, "GET", "/fhir/Patient/1", null), 401, "TOKEN_MISSING");
      assertOutcome(Raw.send(port, "GET", "/fhir/Patient/999", null,
          "Authorization", Tokens.bearer("lab-app", Tokens.ALL_PATIENTS)), 404,
          "RESOURCE_NOT_FOUND");
      assertOutcome(Raw.send(port, "GET", "/fhir/Patient/1", null,
          "Authorization", Tokens.bearer("lab-app", "system/Observation.rs")), 403,
          "SCOPE_INSUFFICIENT");
    }
  }

  @Test
  void without_the_starter_property_the_interceptor_is_still_registered_once() {
    try (ConfigurableApplicationContext app = JpaStarterShapedApp.builder()
        .run("--hapi.fhir.custom-interceptor-classes=")) {
      assertSame(app.getBean(FhirGuardInterceptor.class), theOnlyGuardInterceptor(app));
    }
  }

  private static Object theOnlyGuardInterceptor(ConfigurableApplicationContext app) {
    List<Object> registered = app.getBean(RestfulServer.class).getInterceptorService()
        .getAllRegisteredInterceptors().stream()
        .filter(FhirGuardInterceptor.class::isInstance)
        .toList();
    assertEquals(1, registered.size(), registered::toString);
    return registered.get(0);
  }
}
