package dev.fhirguard.spring;

import static dev.fhirguard.spring.testing.Outcomes.assertOutcome;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirguard.spring.testing.Raw;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;

/**
 * {@link ErrorAnswersContract} on Boot's default container, embedded Tomcat (whose own refusals
 * reach fhirguard's host valve).
 */
class TomcatErrorAnswersTest extends ErrorAnswersContract {

  @Test
  void the_container_is_tomcat() {
    assertEquals(TomcatWebServer.class,
        ((WebServerApplicationContext) app).getWebServer().getClass());
  }

  @Test
  void headers_larger_than_tomcat_accepts_are_a_400_outcome() {
    // Tomcat answers 400, not 431, for a header block over server.max-http-request-header-size.
    assertOutcome(Raw.send(port, "GET", "/fhir/Patient/1", null,
        "X-Filler", "x".repeat(64 * 1024)), 400, "INVALID_REQUEST");
  }
}
