package dev.fhirguard.spring;

import static dev.fhirguard.spring.testing.Outcomes.assertOutcome;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirguard.spring.testing.Raw;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.web.embedded.jetty.JettyWebServer;

/**
 * {@link ErrorAnswersContract} on Boot's embedded Jetty ({@code spring-boot-starter-jetty} without
 * Tomcat: the surefire execution {@code jetty} runs this class with Tomcat off the classpath), plus
 * the errors Jetty raises before the application sees a request.
 */
@Tag("jetty")
class JettyErrorAnswersTest extends ErrorAnswersContract {

  @Test
  void the_container_is_jetty() {
    assertEquals(JettyWebServer.class,
        ((org.springframework.boot.web.context.WebServerApplicationContext) app).getWebServer()
            .getClass());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fhir/Patient/%zz", "/fhir/Patient/a|b", "/fhir/../../etc/passwd",
      "/fhir/Patient/%2e%2e/x"})
  void a_request_uri_jetty_refuses_is_a_400_outcome(String target) {
    Raw.Response response = Raw.exchange(port, ("GET " + target
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1), false);
    assertOutcome(response, 400, "INVALID_REQUEST");
  }

  @Test
  void a_malformed_header_line_is_a_400_outcome() {
    Raw.Response response = Raw.exchange(port,
        "GET /fhir/Patient/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1), false);
    assertOutcome(response, 400, "INVALID_REQUEST");
  }

  @Test
  void headers_larger_than_jetty_accepts_are_a_431_outcome() {
    Raw.Response response = Raw.send(port, "GET", "/fhir/Patient/1", null,
        "X-Filler", "x".repeat(64 * 1024));
    assertOutcome(response, 431, "HEADERS_TOO_LARGE");
  }
}
