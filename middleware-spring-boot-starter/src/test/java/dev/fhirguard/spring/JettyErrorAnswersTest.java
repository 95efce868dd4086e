package dev.fhirguard.spring;

import static dev.fhirguard.spring.testing.Outcomes.assertOutcome;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirguard.spring.testing.Raw;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.embedded.jetty.JettyWebServer;

/**
 * {@link ErrorAnswersContract} on Boot's embedded Jetty ({@code spring-boot-starter-jetty} without
 * Tomcat: tagged {@code jetty}, it runs in the surefire execution {@code jetty}, with Tomcat off
 * the classpath).
 */
@Tag("jetty")
class JettyErrorAnswersTest extends ErrorAnswersContract {

  @Test
  void the_container_is_jetty() {
    assertEquals(JettyWebServer.class,
        ((org.springframework.boot.web.context.WebServerApplicationContext) app).getWebServer()
            .getClass());
  }

  @Test
  void an_encoded_dot_segment_is_a_400_outcome() {
    Raw.Response response = Raw.exchange(port, ("GET /fhir/Patient/%2e%2e/x HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1),
        false);
    assertOutcome(response, 400, "INVALID_REQUEST");
  }

  @Test
  void headers_larger_than_jetty_accepts_are_a_431_outcome() {
    Raw.Response response = Raw.send(port, "GET", "/fhir/Patient/1", null,
        "X-Filler", "x".repeat(64 * 1024));
    assertOutcome(response, 431, "HEADERS_TOO_LARGE");
  }
}
